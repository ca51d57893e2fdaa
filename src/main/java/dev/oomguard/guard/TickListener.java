package dev.oomguard.guard;

import dev.oomguard.sample.Sample;

/**
 * Where a guarded run's samples and the guard's decisions go, tick by tick: a chain of
 * {@link Relay}s (stall detection, the terminal, Prometheus, the run record) ending at the part
 * that carries the decisions out.
 */
public interface TickListener {
    void sampled(Sample sample);

    void act(Action action);

    void partialKill(PartialKill kill, Sample sample);

    void failed(Exception e);
}
