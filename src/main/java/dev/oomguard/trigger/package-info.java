/**
 * What wakes the guard between full samples. Owns the trigger thread and every descriptor it
 * polls: cgroup v1 usage thresholds (eventfd through {@code cgroup.event_control}), adaptive
 * polling of one cheap gauge (a v2 group's {@code memory.current}, the host's
 * {@code /proc/meminfo}), and the kernel's word of OOM kills ({@code memory.oom_control},
 * {@code memory.events}). At its centre is {@link dev.oomguard.trigger.TriggerPlan}, a pure
 * function of the binding limit, the ladder's next levels and readings taken beforehand: which
 * route protects the job, which gauge, which levels, where the reflex watches.
 *
 * <p>Hands crossings and requests for a full sample to its {@code Triggers.Handler} and arms the
 * checkpoint reflex ({@code checkpoint}); it decides nothing itself (that is {@code guard}'s),
 * signals no process and writes no file. Must not import {@code watch}, {@code cli} or
 * {@code report}.
 */
package dev.oomguard.trigger;
