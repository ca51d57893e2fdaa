package dev.oomguard.proc;

import java.util.Map;

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
        return parse(fs.read(PATH), fs.path(PATH).toString());
    }

    /** MemAvailable exists since Linux 3.14; without it there is no honest host headroom. */
    public static MemInfo parse(String text, String source) {
        Map<String, Long> kib = KeyedValues.parse(text, source, ':', "kB");
        return new MemInfo(
                KeyedValues.require(kib, "MemTotal", source),
                KeyedValues.require(kib, "MemAvailable", source),
                KeyedValues.require(kib, "SwapTotal", source),
                KeyedValues.require(kib, "SwapFree", source));
    }
}
