package dev.oomguard.watch;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Relay;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.StallDetector;
import dev.oomguard.guard.TickListener;
import dev.oomguard.sample.Sample;
import java.util.List;

/**
 * Watches every sample for thrashing ({@link StallDetector}) and hands its decisions on as
 * actions, beside the ladder's: first in the listener chain, so they are recorded, published and
 * carried out like any other.
 */
final class Stalled extends Relay {
    private final StallDetector detector;
    private final RunSummary summary;

    Stalled(TickListener next, StallDetector detector, RunSummary summary) {
        super(next);
        this.detector = detector;
        this.summary = summary;
    }

    @Override
    public void sampled(Sample sample) {
        super.sampled(sample);
        List<Action> actions = detector.decide(sample);
        summary.recordActions(actions);
        for (Action a : actions) {
            act(a);
        }
    }
}
