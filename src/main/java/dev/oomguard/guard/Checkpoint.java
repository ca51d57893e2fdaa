package dev.oomguard.guard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One checkpoint request and how it ended: acknowledged by the job (it removed the flag file or
 * wrote {@code FILE.done}, or the {@code --on-checkpoint} hook exited 0), timed out, or still
 * unanswered when the job ended.
 *
 * @param usedPercent share of the binding limit in use when it was asked (empty: asked without figures)
 * @param after       from the request to the acknowledgement or the timeout; empty when unanswered
 * @param how         how the job answered ({@code removed the flag file}, ...), or why it counts as unanswered
 */
public record Checkpoint(Instant askedAt, OptionalDouble usedPercent, String reason, Answer answer,
        Optional<Duration> after, String how) {
    /** How a request ended. */
    public enum Answer {
        ACKNOWLEDGED, TIMED_OUT, UNANSWERED
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    public Checkpoint {
        if (askedAt == null || usedPercent == null || reason == null || answer == null || after == null || how == null) {
            throw new IllegalArgumentException("incomplete checkpoint");
        }
    }

    public boolean acknowledged() {
        return answer == Answer.ACKNOWLEDGED;
    }

    /**
     * {@code checkpoint asked at 12:03:04 (90.2% used), acknowledged 3.1 s later (the job removed the
     * flag file)}, or {@code ..., not acknowledged (...)}; the clock time in {@code zone}.
     */
    public String describe(ZoneId zone) {
        StringBuilder b = new StringBuilder("checkpoint asked at ").append(CLOCK.format(askedAt.atZone(zone)));
        usedPercent.ifPresent(p -> b.append(String.format(Locale.ROOT, " (%.1f%% used)", p)));
        if (acknowledged()) {
            b.append(", acknowledged ").append(seconds(after.orElse(Duration.ZERO))).append(" later (").append(how)
                    .append(')');
        } else {
            b.append(", not acknowledged (").append(how).append(')');
        }
        return b.toString();
    }

    /** {@code 3.1 s}. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
