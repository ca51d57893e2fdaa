package dev.oomguard.proc;

import java.util.Optional;

/**
 * The fields of {@code /proc/PID/stat} that identify a process and place it in the tree.
 * {@code startTimeTicks} (clock ticks after boot) tells a process from a later one that reuses its
 * PID; {@code rssPages} is a free, rough size used only to rank processes outside the tree;
 * {@code majorFaults} counts the faults that waited for a disk read (a file page read back, or a
 * swap-in): a process that keeps making them is thrashing.
 */
public record PidStat(int pid, String comm, char state, int ppid, int pgrp, long startTimeTicks, long rssPages,
                      long majorFaults) {
    public static Optional<PidStat> read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "stat").map(text -> parse(text, fs.path("/proc/" + pid + "/stat").toString()));
    }

    /**
     * Parses one stat line. The comm is between the first '(' and the LAST ')': a process may
     * call itself {@code foo) Z 1 (} and must not be able to fake its state or parent.
     */
    public static PidStat parse(String text, String source) {
        String line = text.strip();
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open) {
            throw new Malformed(source, line, "expected 'PID (comm) STATE PPID ...'");
        }
        String[] f = line.substring(close + 1).trim().split(" ");
        // f[0] is field 3 (state); majflt is field 12, starttime field 22, rss field 24.
        if (f.length < 22 || f[0].length() != 1) {
            throw new Malformed(source, line, "expected at least 24 fields");
        }
        try {
            return new PidStat(
                    Integer.parseInt(line.substring(0, open).trim()),
                    line.substring(open + 1, close),
                    f[0].charAt(0),
                    Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]),
                    Long.parseLong(f[19]),
                    Long.parseLong(f[21]),
                    Long.parseLong(f[9]));
        } catch (NumberFormatException e) {
            throw new Malformed(source, line, "not a number: " + e.getMessage());
        }
    }

    /** Zombies and dead tasks hold no memory and have no memory lines in status. */
    public boolean isDead() {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
