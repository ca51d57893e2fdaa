package dev.oomguard.proc;

import java.util.Optional;

/**
 * The memory lines of {@code /proc/PID/status}, in KiB: resident memory split, swap, and the
 * kernel's high-water mark of resident memory ({@code VmHWM}: the most this process's memory map
 * ever held resident, since its last {@code exec}; 0 where the kernel has no such line).
 */
public record PidStatus(String name, char state, long rssAnonKiB, long rssFileKiB, long rssShmemKiB, long vmSwapKiB,
                        long vmHwmKiB) {
    public PidStatus {
        if (rssAnonKiB < 0 || rssFileKiB < 0 || rssShmemKiB < 0 || vmSwapKiB < 0 || vmHwmKiB < 0) {
            throw new IllegalArgumentException("negative memory figure for " + name);
        }
    }

    /** Without a high-water mark. */
    public PidStatus(String name, char state, long rssAnonKiB, long rssFileKiB, long rssShmemKiB, long vmSwapKiB) {
        this(name, state, rssAnonKiB, rssFileKiB, rssShmemKiB, vmSwapKiB, 0);
    }

    public static Optional<PidStatus> read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "status").map(text -> parse(text, fs.name("/proc/" + pid + "/status")));
    }

    /**
     * Zombies and kernel threads have no Rss lines: they hold no user memory, so their figures are
     * zero. Any other process without them is malformed input.
     */
    public static PidStatus parse(String text, String source) {
        // Read every tick for every process of the tree: the few lines wanted are looked up, the
        // fifty others not split or stored.
        String name = textValue(text, "Name:");
        String stateText = textValue(text, "State:");
        char state = stateText == null || stateText.isEmpty() ? '?' : stateText.charAt(0);
        if (name == null || state == '?') {
            throw new Malformed(source, null, "no 'Name:' or 'State:' line");
        }
        long anon = KeyedValues.find(text, "RssAnon", source, ':', "kB");
        boolean dead = state == 'Z' || state == 'X';
        if (anon < 0 && (dead || KeyedValues.find(text, "VmSize", source, ':', "kB") < 0)) {
            return new PidStatus(name, state, 0, 0, 0, 0);
        }
        long hwm = KeyedValues.find(text, "VmHWM", source, ':', "kB"); // in every kernel since 2.6.x; optional all the same
        return new PidStatus(name, state,
                KeyedValues.findRequired(text, "RssAnon", source, ':', "kB"),
                KeyedValues.findRequired(text, "RssFile", source, ':', "kB"),
                KeyedValues.findRequired(text, "RssShmem", source, ':', "kB"),
                KeyedValues.findRequired(text, "VmSwap", source, ':', "kB"),
                Math.max(0, hwm));
    }

    /** The rest of the line that starts with {@code key}, stripped; null when there is none. */
    private static String textValue(String text, String key) {
        for (int from = 0; ; ) {
            int at = text.indexOf(key, from);
            if (at < 0) {
                return null;
            }
            if (at == 0 || text.charAt(at - 1) == '\n') {
                int eol = text.indexOf('\n', at);
                return text.substring(at + key.length(), eol < 0 ? text.length() : eol).strip();
            }
            from = at + 1;
        }
    }

    public long rssKiB() {
        return rssAnonKiB + rssFileKiB + rssShmemKiB;
    }
}
