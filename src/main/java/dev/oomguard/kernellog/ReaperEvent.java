package dev.oomguard.kernellog;

/**
 * An {@code oom_reaper:} line after a kill.
 *
 * @param outcome {@code reaped}, {@code unable to reap} or {@code giving up}
 */
public record ReaperEvent(int pid, String comm, String outcome, Long anonRssKiB, Long fileRssKiB, Long shmemRssKiB) {
}
