package dev.oomguard.kernellog;

/**
 * A kill by a userspace OOM daemon (earlyoom, nohang, systemd-oomd) seen in the same log.
 *
 * @param daemon  {@code earlyoom}, {@code nohang} or {@code systemd-oomd}
 * @param pid     the victim pid, or -1 when the line names a cgroup instead (systemd-oomd)
 * @param target  the process name or cgroup path
 * @param line    the line as logged
 */
public record UserspaceKill(String daemon, int pid, String target, String signal, ReportTime time, String line) {
}
