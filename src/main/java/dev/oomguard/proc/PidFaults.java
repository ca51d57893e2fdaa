package dev.oomguard.proc;

import java.util.Optional;

/**
 * The page-fault counters of {@code /proc/PID/stat} (fields 10 and 12): minor faults were served
 * from memory, major faults waited for a read from disk (a file page read back, or a swap-in).
 * A process that keeps faulting pages it had a moment ago is thrashing.
 */
public record PidFaults(int pid, long minorFaults, long majorFaults) {
    public static Optional<PidFaults> read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "stat").map(text -> parse(text, fs.path("/proc/" + pid + "/stat").toString()));
    }

    /** Fields are counted after the LAST ')', so a hostile comm cannot shift them (as in {@link PidStat}). */
    public static PidFaults parse(String text, String source) {
        String line = text.strip();
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open) {
            throw new Malformed(source, line, "expected 'PID (comm) STATE PPID ...'");
        }
        String[] f = line.substring(close + 1).trim().split(" ");
        // f[0] is field 3 (state): minflt is field 10, majflt field 12.
        if (f.length < 10) {
            throw new Malformed(source, line, "expected at least 12 fields");
        }
        try {
            return new PidFaults(Integer.parseInt(line.substring(0, open).trim()), Long.parseLong(f[7]),
                    Long.parseLong(f[9]));
        } catch (NumberFormatException e) {
            throw new Malformed(source, line, "not a number: " + e.getMessage());
        }
    }
}
