package dev.oomguard.kernellog;

/**
 * A cheap test on a raw line, before any decoding: can it be part of an OOM report or a userspace
 * killer's log? Reading a 100 MB log is dominated by the lines that are not; this keeps them to
 * a few {@code indexOf} calls each.
 */
public final class OomLineFilter {
    private OomLineFilter() {
    }

    public static boolean mayMatter(String raw) {
        return raw.contains("oom") || raw.contains(" process ") || raw.contains("emory")
                || raw.contains("pid") || raw.contains("Task") || raw.contains("swap")
                || raw.contains("OOM") || raw.contains("SIG") || raw.contains(" due to ")
                || raw.contains("Mem-Info") || raw.contains("#012") || raw.contains("\\x0a");
    }
}
