package dev.oomguard.proc;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The memory figures of one cgroup, read from its directory, in the same terms for v1 and v2.
 *
 * @param usageBytes        charged memory: v1 {@code memory.usage_in_bytes}, v2 {@code memory.current}
 * @param inactiveFileBytes reclaimable file cache: v1 {@code total_inactive_file} (hierarchical),
 *                          v2 {@code inactive_file}; usage minus this is the working set (as kubelet)
 * @param limitBytes        v1 {@code memory.limit_in_bytes}, v2 {@code memory.max}; empty = unlimited
 * @param highBytes         v2 {@code memory.high} (throttles, never kills); empty in v1 or unlimited
 * @param swapLimitBytes    swap this cgroup may use in all: v2 {@code memory.swap.max}, v1
 *                          {@code memsw.limit - limit}; empty = not limited by this cgroup
 * @param swapUsageBytes    v2 {@code memory.swap.current}, v1 {@code memsw.usage - usage}; zero
 *                          when swap is not accounted (v1 without swapaccount), as then it is unknown
 * @param oomKills          v1 {@code memory.oom_control oom_kill}, v2 {@code memory.events oom_kill};
 *                          empty on kernels that do not count
 */
public record CgroupMemory(CgroupVersion version, String directory, long usageBytes, long inactiveFileBytes,
                           OptionalLong limitBytes, OptionalLong highBytes, OptionalLong swapLimitBytes,
                           long swapUsageBytes, OptionalLong oomKills) {
    /**
     * v1's "no limit" is LONG_MAX rounded down to a page: 9223372036854771712 with 4 KiB pages,
     * lower with 64 KiB pages. Anything within 1 MiB of LONG_MAX means unlimited.
     */
    static final long V1_UNLIMITED_FLOOR = Long.MAX_VALUE - (1L << 20);

    /** Reads a cgroup directory (absolute, under the ProcFs root); empty when it was removed. */
    public static Optional<CgroupMemory> read(ProcFs fs, CgroupVersion version, String directory) {
        return version == CgroupVersion.V1 ? readV1(fs, directory) : readV2(fs, directory);
    }

    private static Optional<CgroupMemory> readV1(ProcFs fs, String dir) {
        Optional<String> usage = fs.readIfPresent(dir + "/memory.usage_in_bytes");
        Optional<String> limit = fs.readIfPresent(dir + "/memory.limit_in_bytes");
        Optional<String> stat = fs.readIfPresent(dir + "/memory.stat");
        if (usage.isEmpty() || limit.isEmpty() || stat.isEmpty()) {
            return Optional.empty();
        }
        long usageBytes = parseBytes(usage.get(), fs.name(dir + "/memory.usage_in_bytes"));
        OptionalLong limitBytes = parseV1Limit(limit.get(), fs.name(dir + "/memory.limit_in_bytes"));
        Map<String, Long> st = parseKeyed(stat.get(), fs.name(dir + "/memory.stat"));
        long inactive = KeyedValues.require(st, "total_inactive_file", fs.name(dir + "/memory.stat"));
        OptionalLong swapLimit = OptionalLong.empty();
        long swapUsage = 0;
        Optional<String> memswLimit = fs.readIfPresent(dir + "/memory.memsw.limit_in_bytes");
        Optional<String> memswUsage = fs.readIfPresent(dir + "/memory.memsw.usage_in_bytes");
        if (memswLimit.isPresent() && memswUsage.isPresent()) {
            OptionalLong both = parseV1Limit(memswLimit.get(), fs.name(dir + "/memory.memsw.limit_in_bytes"));
            if (both.isPresent()) {
                long ram = limitBytes.orElse(both.getAsLong());
                swapLimit = OptionalLong.of(Math.max(0, both.getAsLong() - Math.min(ram, both.getAsLong())));
            }
            long memsw = parseBytes(memswUsage.get(), fs.name(dir + "/memory.memsw.usage_in_bytes"));
            swapUsage = Math.max(0, memsw - usageBytes);
        }
        OptionalLong oomKills = fs.readIfPresent(dir + "/memory.oom_control")
                .map(t -> optional(parseKeyed(t, fs.name(dir + "/memory.oom_control")).get("oom_kill")))
                .orElse(OptionalLong.empty());
        return Optional.of(new CgroupMemory(CgroupVersion.V1, dir, usageBytes, inactive, limitBytes,
                OptionalLong.empty(), swapLimit, swapUsage, oomKills));
    }

    private static Optional<CgroupMemory> readV2(ProcFs fs, String dir) {
        Optional<String> current = fs.readIfPresent(dir + "/memory.current");
        Optional<String> stat = fs.readIfPresent(dir + "/memory.stat");
        if (current.isEmpty() || stat.isEmpty()) {
            return Optional.empty(); // removed, or the root cgroup (no memory.current), or no memory controller
        }
        String statSource = fs.name(dir + "/memory.stat");
        long inactive = KeyedValues.require(parseKeyed(stat.get(), statSource), "inactive_file", statSource);
        return Optional.of(new CgroupMemory(CgroupVersion.V2, dir,
                parseBytes(current.get(), fs.name(dir + "/memory.current")),
                inactive,
                v2Max(fs, dir + "/memory.max"),
                v2Max(fs, dir + "/memory.high"),
                v2Max(fs, dir + "/memory.swap.max"),
                fs.readIfPresent(dir + "/memory.swap.current")
                        .map(t -> parseBytes(t, fs.name(dir + "/memory.swap.current"))).orElse(0L),
                fs.readIfPresent(dir + "/memory.events")
                        .map(t -> optional(parseKeyed(t, fs.name(dir + "/memory.events")).get("oom_kill")))
                        .orElse(OptionalLong.empty())));
    }

    private static OptionalLong v2Max(ProcFs fs, String file) {
        return fs.readIfPresent(file).map(t -> parseV2Max(t, fs.name(file))).orElse(OptionalLong.empty());
    }

    /** v2 {@code memory.max}, {@code memory.high}, {@code memory.swap.max}: bytes or "max". */
    public static OptionalLong parseV2Max(String text, String source) {
        String t = text.strip();
        return t.equals("max") ? OptionalLong.empty() : OptionalLong.of(parseBytes(t, source));
    }

    /** v1 limits: bytes, or the page-rounded LONG_MAX that means unlimited. */
    public static OptionalLong parseV1Limit(String text, String source) {
        long bytes = parseBytes(text, source);
        return bytes >= V1_UNLIMITED_FLOOR ? OptionalLong.empty() : OptionalLong.of(bytes);
    }

    /** memory.stat, memory.events, memory.oom_control: "key value" lines. */
    public static Map<String, Long> parseKeyed(String text, String source) {
        return KeyedValues.parse(text, source, ' ', null);
    }

    static long parseBytes(String text, String source) {
        String t = text.strip();
        try {
            long value = Long.parseLong(t);
            if (value < 0) {
                throw new Malformed(source, t, "negative byte count");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new Malformed(source, t, "expected a byte count");
        }
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** Usage minus inactive file cache: what the kernel cannot simply drop. */
    public long workingSetBytes() {
        return Math.max(0, usageBytes - inactiveFileBytes);
    }
}
