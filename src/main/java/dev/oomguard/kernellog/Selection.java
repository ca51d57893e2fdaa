package dev.oomguard.kernellog;

/**
 * The selection line ({@code Kill process 3026 (R) score 649 or sacrifice child}, up to 5.0). The
 * pid may differ from the one killed: a child can be sacrificed.
 *
 * @param context {@code Out of memory}, {@code Memory cgroup out of memory}, …
 */
public record Selection(String context, int pid, String comm, long score) {
}
