package dev.oomguard.watch;

import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import java.util.Optional;

/**
 * A process oomguard did not start and is asked to watch: who it is (its start time tells it
 * from a later process with the same PID), what it runs, whose it is and its process group.
 *
 * @param cmdline its arguments joined by spaces; empty for a kernel thread or a zombie
 * @param uid     its real user, or -1 when {@code /proc/PID/status} says nothing
 */
public record WatchedProcess(int pid, long startTimeTicks, String comm, String cmdline, int uid, int pgrp, int ppid) {
    /** Reads it from {@code /proc}; empty when there is no such process (or it is a zombie). */
    public static Optional<WatchedProcess> read(ProcFs fs, int pid) {
        Optional<PidStat> stat = PidStat.read(fs, pid);
        if (stat.isEmpty() || stat.get().isDead()) {
            return Optional.empty();
        }
        PidStat s = stat.get();
        String cmdline = fs.readProcess(pid, "cmdline").map(WatchedProcess::joinArgs).orElse("");
        int uid = fs.readProcess(pid, "status").map(WatchedProcess::realUid).orElse(-1);
        return Optional.of(new WatchedProcess(pid, s.startTimeTicks(), s.comm(), cmdline, uid, s.pgrp(), s.ppid()));
    }

    /** How it is named in messages: its command line, or {@code [comm]} without one. */
    public String display() {
        return cmdline.isBlank() ? "[" + comm + "]" : cmdline;
    }

    /** {@code PID 3026 (R)}. */
    public String who() {
        return "PID " + pid + " (" + comm + ")";
    }

    /** Whether the process with this PID now is still this one (not ended, PID not reused). */
    public boolean alive(ProcFs fs) {
        Optional<PidStat> now = PidStat.read(fs, pid);
        return now.isPresent() && now.get().startTimeTicks() == startTimeTicks && !now.get().isDead();
    }

    static String joinArgs(String nulSeparated) {
        String s = nulSeparated.endsWith("\0") ? nulSeparated.substring(0, nulSeparated.length() - 1) : nulSeparated;
        return s.replace('\0', ' ');
    }

    static int realUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).strip().split("\\s+");
                try {
                    return Integer.parseInt(f[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
