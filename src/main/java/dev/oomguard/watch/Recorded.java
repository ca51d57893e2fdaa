package dev.oomguard.watch;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.report.RunRecord;
import dev.oomguard.sample.Sample;

/** Writes every tick and decision to the run record, then hands it on. */
final class Recorded extends Relay {
    private final RunRecord record;
    private final Responder responder;

    Recorded(RunRecord record, Responder next) {
        super(next);
        this.record = record;
        this.responder = next;
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
        if (!responder.isMainProcess(kill)) {
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
