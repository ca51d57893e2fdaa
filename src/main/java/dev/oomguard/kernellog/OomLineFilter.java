package dev.oomguard.kernellog;

/**
 * A cheap test on a raw line, before any decoding: can it start or belong to an OOM report (or a
 * userspace killer's log) when no report is open? Reading a 100 MB log is dominated by the lines
 * that cannot; this keeps them to a few intrinsic {@code indexOf} calls each. Every needle is a
 * piece of a line that can open a report (including one whose start was lost); lines that only
 * occur inside a report (task rows, Mem-Info records, memory.stat) are read in full anyway
 * while a report is open.
 */
public final class OomLineFilter {
    private static final String[] NEEDLES = {
        "oom",                 // invoked oom-killer, oom-kill:, oom_reaper, oom_kill_process callbacks, oom.group
        " process ",           // Killed process, Kill process, kill process
        "Task",                // Task in, Tasks in, Tasks state
        ": usage ",            // memory: / memory+swap: / kmem: / swap: usage
        "Out of memory",       // panic_on_oom, no killable processes
        "Memory ",             // Memory cgroup stats for, Memory limit reached
        "Mem-Info",
        "]   uid",             // the task table header
        "swap =", "swap  =",   // Free swap, Total swap
        "OOM",                 // OOM victim ... is already exiting
        "SIG",                 // earlyoom, nohang
        " due to ",            // systemd-oomd
    };

    private OomLineFilter() {
    }

    public static boolean mayMatter(String raw) {
        for (String needle : NEEDLES) {
            if (raw.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
