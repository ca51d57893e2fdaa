package dev.oomguard.proc;

import java.util.Map;
import java.util.Optional;

/** The memory lines of {@code /proc/PID/status}, in KiB: resident memory split, and swap. */
public record PidStatus(String name, char state, long rssAnonKiB, long rssFileKiB, long rssShmemKiB, long vmSwapKiB) {
    public PidStatus {
        if (rssAnonKiB < 0 || rssFileKiB < 0 || rssShmemKiB < 0 || vmSwapKiB < 0) {
            throw new IllegalArgumentException("negative memory figure for " + name);
        }
    }

    public static Optional<PidStatus> read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "status").map(text -> parse(text, fs.path("/proc/" + pid + "/status").toString()));
    }

    /**
     * Zombies and kernel threads have no Rss lines: they hold no user memory, so their figures are
     * zero. Any other process without them is malformed input.
     */
    public static PidStatus parse(String text, String source) {
        String name = null;
        char state = '?';
        for (String line : text.split("\n")) {
            if (line.startsWith("Name:")) {
                name = line.substring(5).strip();
            } else if (line.startsWith("State:")) {
                String s = line.substring(6).strip();
                state = s.isEmpty() ? '?' : s.charAt(0);
            }
        }
        if (name == null || state == '?') {
            throw new Malformed(source, null, "no 'Name:' or 'State:' line");
        }
        Map<String, Long> kib = KeyedValues.parse(text, source, ':', "kB");
        boolean dead = state == 'Z' || state == 'X';
        if (!kib.containsKey("RssAnon") && (dead || !kib.containsKey("VmSize"))) {
            return new PidStatus(name, state, 0, 0, 0, 0);
        }
        return new PidStatus(name, state,
                KeyedValues.require(kib, "RssAnon", source),
                KeyedValues.require(kib, "RssFile", source),
                KeyedValues.require(kib, "RssShmem", source),
                KeyedValues.require(kib, "VmSwap", source));
    }

    public long rssKiB() {
        return rssAnonKiB + rssFileKiB + rssShmemKiB;
    }
}
