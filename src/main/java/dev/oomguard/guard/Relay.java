package dev.oomguard.guard;

import dev.oomguard.sample.Sample;

/** A listener that adds something to some events and hands every event on to the next one. */
public abstract class Relay implements TickListener {
    private final TickListener next;

    protected Relay(TickListener next) {
        this.next = next;
    }

    @Override
    public void sampled(Sample sample) {
        next.sampled(sample);
    }

    @Override
    public void act(Action action) {
        next.act(action);
    }

    @Override
    public void partialKill(PartialKill kill, Sample sample) {
        next.partialKill(kill, sample);
    }

    @Override
    public void failed(Exception e) {
        next.failed(e);
    }
}
