package dev.oomguard.kernellog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mutable state of one report while its lines arrive; {@link #build()} freezes it. */
final class ReportBuilder {
    OomHeader header;
    Integer invokerPid;
    String cpuset;
    String traceHint;
    String taskCgroup;
    String limitCgroup;
    final List<MemcgCounter> counters = new ArrayList<>();
    String statsFor;
    final Map<String, Long> statBytes = new LinkedHashMap<>();
    boolean memInfoSeen;
    Long freeSwapKiB;
    Long totalSwapKiB;
    Long ramPages;
    Long reservedPages;
    final Map<String, Long> memCounters = new LinkedHashMap<>();
    Long hugepagesTotal;
    Long hugepagesKiB;
    List<String> taskColumns = List.of();
    String tableHeader;
    final List<TaskRow> tasks = new ArrayList<>();
    Constraint constraint;
    Selection selection;
    final List<KilledProcess> killed = new ArrayList<>();
    final List<ReaperEvent> reaped = new ArrayList<>();
    String oomGroup;
    int callbacksSuppressed;
    String noKill;
    boolean mpolBind;
    ReportTime time = ReportTime.NONE;
    final List<String> evidence = new ArrayList<>();
    /** Lines since the last one that belonged to this report; bounds how long it stays open. */
    int quietLines;
    /** Set when a kill line (or a reason for none) arrived: later report parts start a new report. */
    boolean concluded;
    /** The machine/boot of the report's first line, when its source says (see {@link LogLine#origin()}). */
    String origin;
    /** Task rows beyond {@link #MAX_TASK_ROWS}, counted, not kept. */
    int tasksNotKept;

    private static final int MAX_EVIDENCE = 40;
    /** Bounds one report's memory; real tables have hundreds to a few thousand rows. */
    static final int MAX_TASK_ROWS = 10_000;
    /** memory.stat and Mem-Info have a few dozen keys; more is garbage. */
    private static final int MAX_KEYS = 256;
    /** A report's lines are printed within moments; the same clock going back further is another report. */
    private static final long MAX_BACKWARDS_MICROS = 1_000_000;
    /** ... and an open report's next part this much later is another report (its end was lost). */
    private static final long MAX_GAP_MICROS = 60_000_000;

    void task(TaskRow row) {
        if (tasks.size() < MAX_TASK_ROWS) {
            tasks.add(row);
        } else {
            tasksNotKept++;
        }
    }

    void stat(String key, long value) {
        if (statBytes.size() < MAX_KEYS || statBytes.containsKey(key)) {
            statBytes.put(key, value);
        }
    }

    void memCounter(String key, long value) {
        if (memCounters.size() < MAX_KEYS) {
            memCounters.putIfAbsent(key, value);
        }
    }

    void evidence(String text) {
        if (evidence.size() < MAX_EVIDENCE) {
            evidence.add(text.length() > 400 ? text.substring(0, 400) + "…" : text);
        }
    }

    /**
     * Whether {@code line} cannot belong to this report: it names another origin (host, boot),
     * its kmsg sequence or printk clock goes back, or (for a report still open) its clock leaps ahead.
     */
    boolean foreign(LogLine line, boolean open) {
        if (line.origin() != null && origin != null && !line.origin().equals(origin)) {
            return true;
        }
        ReportTime t = time;
        if (line.hasSeq() && t.lastSeq() >= 0 && line.seq() < t.lastSeq()) {
            return true;
        }
        if (line.hasMono() && t.lastMonoMicros() >= 0) {
            long ahead = line.monoMicros() - t.lastMonoMicros();
            return ahead < -MAX_BACKWARDS_MICROS || (open && ahead > MAX_GAP_MICROS);
        }
        return false;
    }

    OomReport build() {
        List<String> missing = new ArrayList<>();
        if (header == null) {
            missing.add(callbacksSuppressed > 0
                    ? "header (rate-limited: " + callbacksSuppressed + " callbacks suppressed)"
                    : "header (the report starts before the log does, or was rate-limited)");
        }
        if (killed.isEmpty() && noKill == null) {
            missing.add("kill line (the report ends before the kill, or the log was cut)");
        }
        boolean memcgSeen = taskCgroup != null || limitCgroup != null || !counters.isEmpty() || statsFor != null;
        if (!memcgSeen && !memInfoSeen && constraint == null) {
            missing.add("memory state (no Mem-Info or memory cgroup block)");
        }
        if (memInfoSeen && (freeSwapKiB == null || ramPages == null)) {
            missing.add("part of Mem-Info (swap or RAM totals)");
        }
        if (taskColumns.isEmpty()) {
            missing.add("task table (vm.oom_dump_tasks=0, rate-limited, or cut)");
        } else if (tasks.stream().anyMatch(t -> !t.complete())) {
            missing.add("some task-table rows are cut short");
        }
        if (tasksNotKept > 0) {
            missing.add(tasksNotKept + " task-table rows beyond the first " + MAX_TASK_ROWS + " (not kept, to bound memory)");
        }
        if (constraint != null) {
            taskCgroup = taskCgroup != null ? taskCgroup : constraint.taskMemcg();
            limitCgroup = limitCgroup != null ? limitCgroup : constraint.oomMemcg();
        }
        MemcgBlock memcg = taskCgroup != null || limitCgroup != null || !counters.isEmpty() || statsFor != null
                ? new MemcgBlock(taskCgroup, limitCgroup, counters, statsFor, statBytes) : null;
        MemInfo memInfo = memInfoSeen || freeSwapKiB != null || ramPages != null
                ? new MemInfo(freeSwapKiB, totalSwapKiB, ramPages, reservedPages, memCounters, hugepagesTotal, hugepagesKiB)
                : null;
        return new OomReport(header, invokerPid, cpuset, traceHint, memcg, memInfo, taskColumns, tableHeader, tasks,
                constraint, selection, killed, reaped, oomGroup, callbacksSuppressed, noKill, mpolBind,
                time, evidence, missing);
    }
}
