package dev.oomguard.trigger;

import dev.oomguard.guard.Seen;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * What the trigger thread does when it wakes under a plan: a threshold or a cgroup event (a
 * reading now), the reflex's news (its level), a poll that is due. Each hands a possible crossing
 * on to the {@link Triggers.Handler}, with the reading and the plan's base.
 */
final class Wakeups {
    private final Gauges gauges;
    private final Polling polling;
    private final Arming arming;
    private final LongSupplier clock;

    Wakeups(Gauges gauges, Polling polling, Arming arming, LongSupplier clock) {
        this.gauges = gauges;
        this.polling = polling;
        this.arming = arming;
        this.clock = clock;
    }

    /** The kernel said a level may be crossed: a reading now, handed on as a possible crossing. */
    void notified(TriggerPlan p, Triggers.Handler handler) {
        if (p == null || p.gauge() == null) {
            return;
        }
        OptionalLong r = gauges.read(p.gauge());
        if (r.isEmpty()) {
            handler.sampleNow(p.gauge().describe() + " unreadable");
            return;
        }
        handler.crossed(new Crossing(p.base(), p.baseNanos(), r.getAsLong(), clock.getAsLong(), p.gauge(),
                Seen.KERNEL_NOTIFICATION));
    }

    /**
     * The reflex asked for the checkpoint at {@code level}: a crossing of it, whatever a reading
     * says now (the job may have let go of its memory on the signal), so the ladder decides the
     * checkpoint it was armed for and the responder claims the reflex's request.
     */
    void reflexFired(TriggerPlan p, long level, Triggers.Handler handler) {
        if (p == null || p.gauge() == null || level < 0 || handler == null) {
            return;
        }
        long value = Math.max(level, gauges.read(p.gauge()).orElse(level));
        handler.crossed(new Crossing(p.base(), p.baseNanos(), value, clock.getAsLong(), p.gauge(), p.reflexSeen()));
    }

    /** A polled gauge read when its time has come; a level crossed since the last read handed on. */
    void pollIfDue(TriggerPlan p, Triggers.Handler handler) {
        if (p == null || p.route() != Route.POLL || !polling.due(clock.getAsLong())) {
            return;
        }
        OptionalLong r = gauges.read(p.gauge());
        long readAt = clock.getAsLong();
        if (r.isEmpty()) {
            polling.unreadable(readAt);
            return;
        }
        if (polling.read(p, r.getAsLong(), readAt)) {
            handler.crossed(new Crossing(p.base(), p.baseNanos(), r.getAsLong(), readAt, p.gauge(), Seen.POLLED_READING));
        }
        polling.scheduleAfterRead(arming.closingIn(p));
    }
}
