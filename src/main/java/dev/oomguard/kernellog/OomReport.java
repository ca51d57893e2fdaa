package dev.oomguard.kernellog;

import java.util.List;
import java.util.Optional;

/**
 * One kernel OOM report as far as it was in the log. Parts the log did not contain are null or
 * empty, and {@link #missing()} says which, in words, so an explanation can say what it lacks.
 *
 * @param invokerPid   from the {@code CPU: … PID: …} line
 * @param cpuset       the {@code cpuset=} of the ≤ 4.20 cpuset line
 * @param traceHint    {@code mem_cgroup_out_of_memory} or {@code pagefault_out_of_memory} when in the trace
 * @param taskColumns  the task table's header columns, as printed
 * @param taskTableHeader the table's header line as logged, or null
 * @param oomGroup     the cgroup of a {@code memory.oom.group} kill, or null
 * @param callbacksSuppressed the count from a preceding {@code callbacks suppressed} line, or 0
 * @param noKill       why nothing was killed (panic_on_oom, no killable process, victim exiting), or null
 * @param mpolBind     2.6.32's {@code No available memory (MPOL_BIND)}
 * @param evidence     the key lines, as logged (without the source's prefix)
 */
public record OomReport(OomHeader header, Integer invokerPid, String cpuset, String traceHint,
        MemcgBlock memcg, MemInfo memInfo, List<String> taskColumns, String taskTableHeader, List<TaskRow> tasks,
        Constraint constraint, Selection selection, List<KilledProcess> killed,
        List<ReaperEvent> reaped, String oomGroup, int callbacksSuppressed, String noKill,
        boolean mpolBind, ReportTime time, List<String> evidence, List<String> missing) {
    public OomReport {
        taskColumns = List.copyOf(taskColumns);
        tasks = List.copyOf(tasks);
        killed = List.copyOf(killed);
        reaped = List.copyOf(reaped);
        evidence = List.copyOf(evidence);
        missing = List.copyOf(missing);
        time = time == null ? ReportTime.NONE : time;
        if (callbacksSuppressed < 0) {
            throw new IllegalArgumentException("callbacks suppressed is negative: " + callbacksSuppressed);
        }
    }

    /** The first process killed; with a sacrificed child it differs from the selected one. */
    public Optional<KilledProcess> victim() {
        return killed.isEmpty() ? Optional.empty() : Optional.of(killed.get(0));
    }

    public Optional<TaskRow> task(int pid) {
        return tasks.stream().filter(t -> t.pid() == pid).findFirst();
    }

    /** Whether the report names {@code pid} as killed or selected. */
    public boolean names(int pid) {
        return killed.stream().anyMatch(k -> k.pid() == pid)
                || (selection != null && selection.pid() == pid)
                || (constraint != null && constraint.pid() != null && constraint.pid() == pid);
    }

    /** The victim's comm from whichever line named it. */
    public Optional<String> victimComm() {
        if (!killed.isEmpty()) {
            return Optional.of(killed.get(0).comm());
        }
        if (constraint != null && constraint.task() != null) {
            return Optional.of(constraint.task());
        }
        return selection == null ? Optional.empty() : Optional.of(selection.comm());
    }

    /** Whether a memory-cgroup limit (not the machine) caused the report. */
    public boolean memcgLimit() {
        if (constraint != null && constraint.kind() != null) {
            return constraint.kind().equals("CONSTRAINT_MEMCG");
        }
        if (memcg != null && (memcg.limitCgroup() != null || !memcg.counters().isEmpty())) {
            return true;
        }
        if (selection != null && selection.context().startsWith("Memory cgroup")) {
            return true;
        }
        return killed.stream().anyMatch(k -> k.context() != null && k.context().startsWith("Memory cgroup"))
                || "mem_cgroup_out_of_memory".equals(traceHint);
    }
}
