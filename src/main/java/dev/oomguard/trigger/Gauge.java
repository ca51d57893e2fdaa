package dev.oomguard.trigger;

import dev.oomguard.checkpoint.Reflex;
import java.nio.file.Path;

/**
 * One cheap reading that moves byte for byte with the job's use of the binding limit: a file
 * holding one number (a cgroup's usage), or the host's {@code /proc/meminfo} (its use: total less
 * MemAvailable, plus the swap in use). A value; {@link Gauges} reads it.
 *
 * @param file    the file, as an absolute path under the proc root
 * @param path    where that is here (the proc root applied)
 * @param meminfo the host's use, from {@code /proc/meminfo}; otherwise the file holds one number
 */
public record Gauge(String file, Path path, boolean meminfo) {
    /** The file, and for the host what is read of it. */
    public String describe() {
        return meminfo ? path + " (MemAvailable + SwapFree)" : path.toString();
    }

    /** How the reflex reads this gauge itself, where it has no kernel threshold. */
    public Reflex.Polled polled() {
        return new Reflex.Polled(path.toString(), meminfo);
    }
}
