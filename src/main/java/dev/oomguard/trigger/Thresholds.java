package dev.oomguard.trigger;

import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.ProcFs;
import java.util.List;

/**
 * cgroup v1 usage thresholds at a plan's levels: one eventfd registered through the group's
 * {@code cgroup.event_control} once per level; closing the eventfd unregisters them all. Owned by
 * the trigger thread.
 */
final class Thresholds {
    private final ProcFs fs;
    private final KernelEvents kernel;
    private int fd = -1;
    private List<Long> registered = List.of();
    private boolean refused;

    Thresholds(ProcFs fs, KernelEvents kernel) {
        this.fs = fs;
        this.kernel = kernel;
    }

    /** The first native calls are slow (JNA binds them): make them now, not during a race. */
    static void warm(KernelEvents kernel) {
        try {
            int fd = kernel.eventfd();
            kernel.signal(fd);
            kernel.poll(new int[] {fd}, new boolean[1], 0);
            kernel.drainEventfd(fd);
            kernel.close(fd);
        } catch (KernelEvents.Failure e) {
            // reported when it matters, at start
        }
    }

    /** The eventfd the kernel signals at a level, -1 when none is registered. */
    int fd() {
        return fd;
    }

    /** Whether the kernel refused thresholds once: the gauge is polled from then on. */
    boolean refused() {
        return refused;
    }

    /**
     * Whether every level of {@code p} is registered already, on the gauge of {@code previous}
     * (extra ones only cause a fast read): then nothing is re-registered in the middle of a race.
     */
    boolean cover(TriggerPlan p, TriggerPlan previous) {
        return fd >= 0 && p.route() == Route.THRESHOLDS && p.sameWatch(previous)
                && TriggerPlan.covered(registered, p.fileLevels());
    }

    /**
     * The thresholds of {@code p} (none off its route or without levels) in place of the previous
     * ones, which are closed only once the new are registered. A refusal is remembered.
     */
    void replace(TriggerPlan p) throws KernelEvents.Failure {
        int old = fd;
        fd = -1;
        registered = List.of();
        try {
            if (p.route() == Route.THRESHOLDS && !p.fileLevels().isEmpty()) {
                fd = register(p);
            }
        } catch (KernelEvents.Failure e) {
            refused = true;
            throw e;
        } finally {
            if (old >= 0) {
                kernel.close(old); // closing the eventfd unregisters its thresholds
            }
        }
    }

    /** A new eventfd with one threshold per level. */
    private int register(TriggerPlan p) throws KernelEvents.Failure {
        int next = kernel.eventfd();
        try {
            String control = fs.path(p.thresholdDir() + "/cgroup.event_control").toString();
            String file = p.gauge().describe();
            for (long level : p.fileLevels()) {
                kernel.register(next, control, file, Long.toString(Math.max(1, level)));
            }
            registered = p.fileLevels();
            return next;
        } catch (KernelEvents.Failure e) {
            kernel.close(next);
            throw e;
        }
    }

    /** After poll(2) found {@link #fd} readable: whether a level was crossed. */
    boolean crossed() {
        return kernel.drainEventfd(fd) > 0;
    }

    void close() {
        kernel.close(fd);
        fd = -1;
    }
}
