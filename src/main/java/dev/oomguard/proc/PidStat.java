package dev.oomguard.proc;

import java.util.Optional;

/**
 * The fields of {@code /proc/PID/stat} that identify a process and place it in the tree.
 * {@code startTimeTicks} (clock ticks after boot) tells a process from a later one that reuses its
 * PID; {@code rssPages} is a free, rough size used only to rank processes outside the tree;
 * {@code majorFaults} counts the faults that waited for a disk read (a file page read back, or a
 * swap-in): a process that keeps making them is thrashing. {@code minorFaults} counts the others
 * (a page made present without a disk read); with the major ones and {@code rssPages} unchanged, no
 * page came in since, which lets a tick keep a process's last {@code status} figures.
 * {@code threads}: one means its children are all in {@code task/PID/children}.
 */
public record PidStat(int pid, String comm, char state, int ppid, int pgrp, long startTimeTicks, long rssPages,
                      long majorFaults, long minorFaults, int threads) {
    /** Without the minor faults and the thread count (-1, 0: unknown). */
    public PidStat(int pid, String comm, char state, int ppid, int pgrp, long startTimeTicks, long rssPages,
                   long majorFaults) {
        this(pid, comm, state, ppid, pgrp, startTimeTicks, rssPages, majorFaults, -1, 0);
    }

    public static Optional<PidStat> read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "stat").map(text -> parse(text, fs.name("/proc/" + pid + "/stat")));
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
        // Fields found in place, not split: every process's stat is read every tick. Field 3
        // (state) is field 0 here; minflt is field 10, majflt field 12, num_threads
        // field 20, starttime field 22, rss field 24.
        int[] bounds = new int[2 * 22];
        int pos = close + 1;
        while (pos < line.length() && line.charAt(pos) <= ' ') {
            pos++;
        }
        int n = 0;
        for (; n < 22 && pos <= line.length(); n++) {
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                end = line.length();
            }
            bounds[2 * n] = pos;
            bounds[2 * n + 1] = end;
            pos = end + 1;
        }
        if (n < 22 || bounds[1] - bounds[0] != 1) {
            throw new Malformed(source, line, "expected at least 24 fields");
        }
        try {
            return new PidStat(
                    Integer.parseInt(line.substring(0, open).trim()),
                    line.substring(open + 1, close),
                    line.charAt(bounds[0]),
                    Integer.parseInt(line, bounds[2], bounds[3], 10),
                    Integer.parseInt(line, bounds[4], bounds[5], 10),
                    Long.parseLong(line, bounds[38], bounds[39], 10),
                    Long.parseLong(line, bounds[42], bounds[43], 10),
                    Long.parseLong(line, bounds[18], bounds[19], 10),
                    Long.parseLong(line, bounds[14], bounds[15], 10),
                    Integer.parseInt(line, bounds[34], bounds[35], 10));
        } catch (NumberFormatException e) {
            throw new Malformed(source, line, "not a number: " + e.getMessage());
        }
    }

    /** Zombies and dead tasks hold no memory and have no memory lines in status. */
    public boolean isDead() {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
