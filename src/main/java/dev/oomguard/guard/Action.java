package dev.oomguard.guard;

import dev.oomguard.sample.OomCandidate;
import java.util.Optional;

/**
 * One decision of the ladder: the step, what the supervisor should do (or, in a dry run, would
 * do), why, the figures that triggered it and, for {@link Step#WARN_OUTSIDE}, the process outside
 * the job the kernel would kill first.
 */
public record Action(Step step, String todo, String why, Figures figures, Optional<OomCandidate> culprit) {
    public Action {
        if (step == null || todo == null || why == null || figures == null || culprit == null) {
            throw new IllegalArgumentException("incomplete action");
        }
    }

    /** One line: {@code checkpoint: send the checkpoint request — because 90.3% of ... used}. */
    public String describe() {
        return step.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + todo + " — because " + why;
    }
}
