package dev.oomguard.watch;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.report.RunRecord;
import dev.oomguard.sample.Sample;

/** Writes every tick and decision to the run record, then hands it on. */
final class Recorded implements Watcher.Listener {
    private final RunRecord record;
    private final Responder next;

    Recorded(RunRecord record, Responder next) {
        this.record = record;
        this.next = next;
    }

    @Override
    public void sampled(Sample sample) {
        record.sample(sample);
        next.sampled(sample);
    }

    @Override
    public void act(Action action) {
        record.action(action);
        next.act(action);
    }

    @Override
    public void partialKill(PartialKill kill, Sample sample) {
        if (!next.isMainProcess(kill)) {
            record.partialKill(kill);
        }
        next.partialKill(kill, sample);
    }

    @Override
    public void failed(Exception e) {
        record.monitoringFailed(e);
        next.failed(e);
    }
}
