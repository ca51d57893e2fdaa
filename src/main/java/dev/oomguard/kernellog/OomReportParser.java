package dev.oomguard.kernellog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds OOM reports of every kernel generation (2.6.32 to 6.x) in a stream of {@link LogLine}s.
 * Pure and streaming: feed lines with {@link #accept}, then {@link #finish()}. Lines are
 * recognised by kind (one pattern each, columns read from the table header), not by position,
 * so interleaved lines from other subsystems and reports cut at either end still yield what
 * they contain. A report is one invocation on one clock: a line from another machine or boot
 * (its origin), a clock that goes back or leaps ahead, or a second invocation's part ends the open
 * report, so two pasted reports never merge. Memory is bounded whatever the input: only the
 * newest reports are kept, by a {@link ReportRetention}, and the others counted. Never throws on input.
 */
public final class OomReportParser {
    /** A report with no progress for this many lines is closed (the rest was lost). */
    private static final int MAX_QUIET_LINES = 3000;
    private static final int MAX_REPORTS_KEPT_OPEN_FOR_REAPER = 8;
    /** printk lines are at most ~1 KiB; longer text is garbage or joined records, cut before matching. */
    private static final int MAX_TEXT_CHARS = 8192;

    private static final Pattern HEADER = Pattern.compile("^(.*?) invoked oom-killer: ?(.*)$");
    private static final Pattern CPUSET = Pattern.compile("^ cpuset=(\\S*) mems_allowed=(\\S*)$");
    private static final Pattern CPU = Pattern.compile("^CPU: \\d+ (?:UID: \\d+ )?PID: (\\d{1,9}) Comm: ");
    private static final Pattern TASK_IN = Pattern.compile("^Task in (\\S+) killed as a result of limit of (\\S+)");
    private static final Pattern LIMIT_REACHED = Pattern.compile("^Memory limit reached of cgroup (\\S+)");
    private static final Pattern COUNTER = Pattern.compile(
            "^(memory|memory\\+swap|kmem|swap): usage (\\d{1,19})kB, limit (\\d{1,19})kB, failcnt (\\d{1,19})");
    private static final Pattern STATS = Pattern.compile("^Memory cgroup stats for (\\S*?):(.*)$");
    private static final Pattern STAT_KB = Pattern.compile("([a-z_]+):(\\d{1,19})KB");
    private static final Pattern STAT_BYTES = Pattern.compile("^([a-z_]+) (\\d{1,19})$");
    private static final Pattern PAIR = Pattern.compile("([a-z_]+):(\\d{1,19})(?=\\s|$)");
    private static final Pattern FREE_SWAP = Pattern.compile("^Free swap\\s*=\\s*(-?\\d{1,19})kB");
    private static final Pattern TOTAL_SWAP = Pattern.compile("^Total swap\\s*=\\s*(\\d{1,19})kB");
    private static final Pattern PAGES = Pattern.compile("^(\\d{1,19}) pages (RAM|reserved)$");
    private static final Pattern HUGEPAGES = Pattern.compile("hugepages_total=(\\d{1,19}) .*hugepages_size=(\\d{1,19})kB");
    private static final Pattern TABLE_HEADER = Pattern.compile("^\\[\\s*pid\\s*\\]\\s+(.*\\bname)\\s*$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\[\\s*(\\d{1,9})\\]\\s(.*)$");
    private static final Pattern SELECT = Pattern.compile(
            "^(?:(.*?): )?[Kk]ill process (\\d{1,9}) \\((.*)\\) score (-?\\d{1,19})");
    private static final Pattern SHARING = Pattern.compile("^[Kk]ill process (\\d{1,9}) \\((.*)\\) sharing same memory");
    private static final Pattern KILLED = Pattern.compile(
            "^(?:(.*?): )?Killed process (\\d{1,9})(?:, UID (\\d{1,10}),)? \\((.*?)\\)(?=[ ,]|$)(.*)$");
    private static final Pattern OOM_GROUP = Pattern.compile("^Tasks in (\\S+) are going to be killed due to memory.oom.group set");
    private static final Pattern SUPPRESSED = Pattern.compile("^(oom_kill_process|out_of_memory|dump_header): (\\d{1,9}) callbacks suppressed");
    private static final Pattern ALREADY_EXITING = Pattern.compile("OOM victim (\\d{1,9}) \\((.*)\\) is already exiting");

    private final KeptReports kept;
    private final List<ReportBuilder> recent = new ArrayList<>();
    private final UserspaceKillParser userspace;
    private ReportBuilder current;
    private int pendingSuppressed;
    private boolean inStats;
    private boolean inMemInfo;

    public OomReportParser() {
        this(ReportRetention.DEFAULT);
    }

    public OomReportParser(ReportRetention retention) {
        this.kept = new KeptReports(retention);
        this.userspace = new UserspaceKillParser(retention.maxUserspaceKills());
    }

    /**
     * Whether the parser needs every line now (a report is open and not yet concluded); otherwise
     * a reader may skip lines that {@link OomLineFilter#mayMatter} rejects.
     */
    public boolean wantsEveryLine() {
        return current != null && !current.concluded;
    }

    public void accept(LogLine line) {
        try {
            if (line.text().length() > MAX_TEXT_CHARS) { // bounds every pattern's work on hostile input
                line = new LogLine(line.text().substring(0, MAX_TEXT_CHARS), line.seq(), line.monoMicros(),
                        line.wallTime(), line.wallExact(), line.origin());
            }
            dispatch(line);
        } catch (RuntimeException e) {
            // A line that defeats a pattern must not lose the reports: note it and go on.
            if (current != null) {
                current.evidence("(unparsable line skipped)");
            }
        }
    }

    public ParsedLog finish() {
        if (current != null) {
            close();
        }
        for (ReportBuilder b : recent) {
            kept.add(b.build());
        }
        recent.clear();
        return kept.parsedLog(userspace.kills(), userspace.dropped());
    }

    private void dispatch(LogLine line) {
        String t = line.text();
        if (current != null && current.foreign(line, !current.concluded)) {
            if (!OomLineFilter.mayMatter(t)) {
                userspace.accept(line); // another clock's unrelated line (a firewall log): not this report's
                return;
            }
            close(); // a report line of another machine, boot or moment: the open report ends here
        }
        if (current != null) {
            current.quietLines++;
            if (!current.concluded && current.quietLines > MAX_QUIET_LINES) {
                close();
            }
        }
        if (t.contains("invoked oom-killer")) {
            Matcher m = HEADER.matcher(t);
            if (m.matches()) {
                start(line);
                current.header = LineFields.header(m.group(1), m.group(2));
                current.evidence(t);
                inStats = inMemInfo = false;
                return;
            }
        }
        if (t.contains(" process ") && killLines(line, t)) {
            return;
        }
        if (t.startsWith("oom_reaper: ")) {
            reaper(line, t);
            return;
        }
        if (t.contains("callbacks suppressed")) {
            Matcher m = SUPPRESSED.matcher(t);
            if (m.find()) {
                pendingSuppressed += (int) Math.min(Integer.MAX_VALUE, LineFields.num(m.group(2)));
                return;
            }
        }
        if (reportPart(line, t)) {
            return;
        }
        if (current != null && !current.concluded) {
            innerLine(line, t);
        } else {
            userspace.accept(line);
        }
    }

    /** Lines that can begin a report whose start was lost; they open one when none is open. */
    private boolean reportPart(LogLine line, String t) {
        Matcher m;
        if (t.startsWith("Task in ") && (m = TASK_IN.matcher(t)).find()) {
            part(line, current != null && current.taskCgroup != null).taskCgroup = m.group(1);
            current.limitCgroup = m.group(2);
        } else if (t.startsWith("Memory limit reached") && (m = LIMIT_REACHED.matcher(t)).find()) {
            part(line, current != null && current.limitCgroup != null).limitCgroup = m.group(1);
        } else if (t.contains(": usage ") && (m = COUNTER.matcher(t)).find()) {
            String kind = m.group(1);
            part(line, current != null && current.counters.stream().anyMatch(c -> c.kind().equals(kind)))
                    .counters.add(new MemcgCounter(kind, LineFields.num(m.group(2)), LineFields.num(m.group(3)),
                            LineFields.num(m.group(4))));
        } else if (t.startsWith("Memory cgroup stats for ") && (m = STATS.matcher(t)).find()) {
            ReportBuilder b = part(line);
            b.statsFor = m.group(1);
            Matcher kb = STAT_KB.matcher(m.group(2));
            while (kb.find()) {
                b.stat(kb.group(1), LineFields.num(kb.group(2)) * 1024);
            }
            inStats = m.group(2).isBlank();
            return true;
        } else if (t.startsWith("Mem-Info:")) {
            part(line, current != null && current.memInfoSeen).memInfoSeen = true;
            inMemInfo = true;
            inStats = false;
            return true;
        } else if (t.startsWith("oom-kill:")) {
            part(line, current != null && current.constraint != null).constraint =
                    LineFields.constraint(t.substring("oom-kill:".length()));
        } else if (t.startsWith("Tasks in ") && (m = OOM_GROUP.matcher(t)).find()) {
            if (current == null) {
                start(line);
            }
            current.oomGroup = m.group(1);
        } else if (t.startsWith("[") && (m = TABLE_HEADER.matcher(t)).matches()) {
            part(line, current != null && !current.taskColumns.isEmpty()).taskColumns =
                    List.of(m.group(1).trim().split("\\s+"));
            current.tableHeader = t;
            inStats = inMemInfo = false;
            return true;
        } else if ((t.startsWith("Free swap") || t.startsWith("Total swap")) && swap(line, t)) {
            return true;
        } else if (t.startsWith("Out of memory") && (t.contains("panic_on_oom") || t.contains("no killable"))) {
            part(line).noKill = t;
            current.concluded = true;
        } else if (t.contains("is already exiting") && (m = ALREADY_EXITING.matcher(t)).find()) {
            part(line).noKill = t;
            current.concluded = true;
        } else if (t.startsWith("No available memory (MPOL_BIND)")) {
            part(line).mpolBind = true;
        } else {
            return false;
        }
        current.evidence(t);
        inStats = inMemInfo = false;
        return true;
    }

    private boolean swap(LogLine line, String t) {
        Matcher m = FREE_SWAP.matcher(t);
        if (m.find()) {
            part(line, current != null && current.freeSwapKiB != null).freeSwapKiB = Math.max(0, Long.parseLong(m.group(1)));
            current.memInfoSeen = true;
            current.evidence(t);
            return true;
        }
        m = TOTAL_SWAP.matcher(t);
        if (m.find()) {
            part(line, current != null && current.totalSwapKiB != null).totalSwapKiB = LineFields.num(m.group(1));
            current.memInfoSeen = true;
            current.evidence(t);
            return true;
        }
        return false;
    }

    /** Lines that only mean something inside an open report. */
    private void innerLine(LogLine line, String t) {
        Matcher m;
        String s = t.strip();
        if (t.startsWith("[") && !current.taskColumns.isEmpty() && (m = TABLE_ROW.matcher(t)).matches()) {
            current.task(TaskTableRow.parse(Integer.parseInt(m.group(1)), m.group(2), current.taskColumns, t));
        } else if (inStats && (m = STAT_BYTES.matcher(s)).matches()) {
            current.stat(m.group(1), LineFields.num(m.group(2)));
        } else if ((m = PAGES.matcher(s)).matches()) {
            if (m.group(2).equals("RAM")) {
                current.ramPages = LineFields.num(m.group(1));
                current.evidence(s);
            } else {
                current.reservedPages = LineFields.num(m.group(1));
            }
        } else if (inMemInfo && !s.startsWith("Node") && !s.isEmpty() && Character.isLowerCase(s.charAt(0))) {
            Matcher p = PAIR.matcher(s);
            while (p.find()) {
                current.memCounter(p.group(1), LineFields.num(p.group(2)));
            }
        } else if (s.contains("hugepages_total=") && (m = HUGEPAGES.matcher(s)).find()) {
            long count = LineFields.num(m.group(1));
            current.hugepagesTotal = (current.hugepagesTotal == null ? 0 : current.hugepagesTotal) + count;
            current.hugepagesKiB = (current.hugepagesKiB == null ? 0 : current.hugepagesKiB) + count * LineFields.num(m.group(2));
        } else if (s.contains(" cpuset=") && (m = CPUSET.matcher(s.substring(s.lastIndexOf(" cpuset=")))).matches()) {
            current.cpuset = m.group(1);
        } else if (s.startsWith("CPU: ") && (m = CPU.matcher(s)).find()) {
            int invoker = Integer.parseInt(m.group(1));
            if (current.invokerPid != null && current.invokerPid != invoker) {
                close(); // a second invocation's dump (or another warning's): not this report's
                return;
            }
            current.invokerPid = invoker;
        } else if (s.contains("mem_cgroup_out_of_memory")) {
            current.traceHint = "mem_cgroup_out_of_memory";
        } else if (s.contains("pagefault_out_of_memory") && current.traceHint == null) {
            current.traceHint = "pagefault_out_of_memory";
        } else {
            return; // an interleaved line from elsewhere
        }
        current.quietLines = 0;
        current.time = current.time.with(line);
    }

    private boolean killLines(LogLine line, String t) {
        Matcher m;
        if (t.contains("Killed process") && (m = KILLED.matcher(t)).find()) {
            KilledProcess k = LineFields.killed(m);
            boolean groupKill = current != null && current.oomGroup != null;
            if (current == null || (current.concluded && !groupKill) || alreadyKilled(k.pid())) {
                start(line);
            }
            current.killed.add(k);
            current.concluded = true;
        } else if ((m = SHARING.matcher(t)).find()) {
            int pid = Integer.parseInt(m.group(1));
            if (current == null) {
                start(line);
            }
            current.killed.add(new KilledProcess(null, pid, m.group(2), null, null, null, null, null, null, null, true));
        } else if ((m = SELECT.matcher(t)).find()) {
            if (current == null || current.concluded || current.selection != null) {
                start(line);
            }
            current.selection = new Selection(m.group(1) == null ? "" : m.group(1), Integer.parseInt(m.group(2)),
                    m.group(3), LineFields.num(m.group(4)));
            current.mpolBind |= current.selection.context().contains("MPOL_BIND");
        } else {
            return false;
        }
        current.evidence(t);
        current.time = current.time.with(line);
        current.quietLines = 0;
        inStats = inMemInfo = false;
        return true;
    }

    private boolean alreadyKilled(int pid) {
        return current != null && current.killed.stream().anyMatch(k -> k.pid() == pid);
    }

    private void reaper(LogLine line, String t) {
        Optional<ReaperEvent> parsed = ReaperEvent.parse(t);
        if (parsed.isEmpty()) {
            return;
        }
        ReaperEvent e = parsed.get();
        ReportBuilder owner = null;
        List<ReportBuilder> candidates = new ArrayList<>(recent);
        if (current != null) {
            candidates.add(current);
        }
        for (ReportBuilder b : candidates) {
            int pid = e.pid();
            if (!b.foreign(line, false) && b.killed.stream().anyMatch(k -> k.pid() == pid)) {
                owner = b;
            }
        }
        if (owner != null) {
            owner.reaped.add(e);
            owner.evidence(t);
            owner.time = owner.time.with(line);
        }
    }

    private ReportBuilder part(LogLine line) {
        return part(line, false);
    }

    /** The open report for a part, or a new one when none is open, it is concluded, or it already has that part. */
    private ReportBuilder part(LogLine line, boolean alreadyHasIt) {
        if (current == null || current.concluded || alreadyHasIt) {
            start(line);
        }
        current.quietLines = 0;
        current.time = current.time.with(line);
        return current;
    }

    private void start(LogLine line) {
        if (current != null) {
            close();
        }
        current = new ReportBuilder();
        current.origin = line.origin();
        current.callbacksSuppressed = pendingSuppressed;
        pendingSuppressed = 0;
        current.time = current.time.with(line);
        inStats = inMemInfo = false;
    }

    /** Keeps the last few reports open for late oom_reaper lines, then freezes them. */
    private void close() {
        recent.add(current);
        current = null;
        inStats = inMemInfo = false;
        if (recent.size() > MAX_REPORTS_KEPT_OPEN_FOR_REAPER) {
            kept.add(recent.remove(0).build());
        }
    }
}
