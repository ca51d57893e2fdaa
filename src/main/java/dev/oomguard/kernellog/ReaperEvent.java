package dev.oomguard.kernellog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code oom_reaper:} line after a kill.
 *
 * @param outcome {@code reaped}, {@code unable to reap} or {@code giving up}
 */
public record ReaperEvent(int pid, String comm, String outcome, Long anonRssKiB, Long fileRssKiB, Long shmemRssKiB) {
    private static final Pattern REAPED = Pattern.compile(
            "^oom_reaper: reaped process (\\d{1,9}) \\((.*?)\\), now anon-rss:(\\d{1,19})kB, file-rss:(\\d{1,19})kB(?:, shmem-rss:(\\d{1,19})kB)?");
    private static final Pattern REAPER_FAIL = Pattern.compile("^oom_reaper: (unable to reap|giving up) pid:(\\d{1,9}) \\((.*?)\\)");

    /** The event an {@code oom_reaper:} line tells of; empty for any other line. */
    static Optional<ReaperEvent> parse(String text) {
        Matcher m = REAPED.matcher(text);
        if (m.find()) {
            return Optional.of(new ReaperEvent(Integer.parseInt(m.group(1)), m.group(2), "reaped",
                    LineFields.num(m.group(3)), LineFields.num(m.group(4)),
                    m.group(5) == null ? null : LineFields.num(m.group(5))));
        }
        m = REAPER_FAIL.matcher(text);
        if (m.find()) {
            return Optional.of(new ReaperEvent(Integer.parseInt(m.group(2)), m.group(3), m.group(1), null, null, null));
        }
        return Optional.empty();
    }
}
