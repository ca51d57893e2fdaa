package dev.oomguard.report;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.Relay;
import dev.oomguard.guard.TickListener;
import dev.oomguard.sample.Sample;
import java.util.function.Predicate;

/** Writes every tick and decision to the run record, then hands it on. */
public final class Recorded extends Relay {
    private final RunRecord record;
    private final Predicate<PartialKill> mainProcess;

    /** @param mainProcess whether a "partial kill" is the job's main process ending (its end is the job's status) */
    public Recorded(RunRecord record, TickListener next, Predicate<PartialKill> mainProcess) {
        super(next);
        this.record = record;
        this.mainProcess = mainProcess;
    }

    @Override
    public void sampled(Sample sample) {
        record.sample(sample);
        super.sampled(sample);
    }

    @Override
    public void act(Action action) {
        record.action(action);
        super.act(action);
    }

    @Override
    public void partialKill(PartialKill kill, Sample sample) {
        if (!mainProcess.test(kill)) {
            record.partialKill(kill);
        }
        super.partialKill(kill, sample);
    }

    @Override
    public void failed(Exception e) {
        record.monitoringFailed(e);
        super.failed(e);
    }
}
