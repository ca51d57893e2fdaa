package dev.oomguard.proc;

/** The host-wide figures of {@code /proc/meminfo} that the guard needs, in KiB ("kB" is 1024). */
public record MemInfo(long memTotalKiB, long memAvailableKiB, long swapTotalKiB, long swapFreeKiB) {
    public static final String PATH = "/proc/meminfo";

    public MemInfo {
        if (memTotalKiB <= 0 || memAvailableKiB < 0 || swapTotalKiB < 0 || swapFreeKiB < 0) {
            throw new IllegalArgumentException("impossible meminfo: total " + memTotalKiB + " available "
                    + memAvailableKiB + " swap " + swapTotalKiB + "/" + swapFreeKiB + " KiB");
        }
    }

    public static MemInfo read(ProcFs fs) {
        return parse(fs.read(PATH), fs.name(PATH));
    }

    /** MemAvailable exists since Linux 3.14; without it there is no honest host headroom. */
    public static MemInfo parse(String text, String source) {
        // Four lookups, not a map of fifty lines: the host path's poller reads this file up to every few ms.
        return new MemInfo(
                KeyedValues.findRequired(text, "MemTotal", source, ':', "kB"),
                KeyedValues.findRequired(text, "MemAvailable", source, ':', "kB"),
                KeyedValues.findRequired(text, "SwapTotal", source, ':', "kB"),
                KeyedValues.findRequired(text, "SwapFree", source, ':', "kB"));
    }
}
