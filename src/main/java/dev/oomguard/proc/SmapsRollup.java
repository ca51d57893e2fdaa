package dev.oomguard.proc;

import java.util.Map;
import java.util.Optional;

/**
 * {@code /proc/PID/smaps_rollup}: proportional set size, which splits pages shared by forked
 * workers fairly. Reading it walks the page tables and stalls the target (about 100 ms per 4 GiB):
 * callers ration it.
 */
public record SmapsRollup(long rssKiB, long pssKiB, long swapPssKiB) {
    public static Optional<SmapsRollup> read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "smaps_rollup")
                .filter(text -> !text.isBlank()) // a zombie's rollup is empty
                .map(text -> parse(text, fs.name("/proc/" + pid + "/smaps_rollup")));
    }

    public static SmapsRollup parse(String text, String source) {
        int firstLineEnd = text.indexOf('\n');
        String body = firstLineEnd >= 0 && text.contains("[rollup]") ? text.substring(firstLineEnd + 1) : text;
        Map<String, Long> kib = KeyedValues.parse(body, source, ':', "kB");
        return new SmapsRollup(
                KeyedValues.require(kib, "Rss", source),
                KeyedValues.require(kib, "Pss", source),
                KeyedValues.require(kib, "SwapPss", source));
    }
}
