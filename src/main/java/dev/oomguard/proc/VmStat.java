package dev.oomguard.proc;

import java.util.Map;
import java.util.OptionalLong;

/** The host's OOM kill counter in {@code /proc/vmstat} (present since Linux 4.13). */
public final class VmStat {
    public static final String PATH = "/proc/vmstat";

    private VmStat() {
    }

    public static OptionalLong readOomKills(ProcFs fs) {
        return parseOomKills(fs.read(PATH), fs.path(PATH).toString());
    }

    /** Empty on kernels older than 4.13, which do not count: not zero, unknown. */
    public static OptionalLong parseOomKills(String text, String source) {
        Map<String, Long> values = KeyedValues.parse(text, source, ' ', null);
        Long kills = values.get("oom_kill");
        return kills == null ? OptionalLong.empty() : OptionalLong.of(kills);
    }
}
