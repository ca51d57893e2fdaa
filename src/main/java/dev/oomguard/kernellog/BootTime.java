package dev.oomguard.kernellog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** When the running system booted: {@code btime} in /proc/stat (wall clock minus CLOCK_BOOTTIME). */
public final class BootTime {
    private BootTime() {
    }

    public static Optional<Instant> read(Path procRoot) {
        try {
            return parse(Files.readString(procRoot.resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Instant> parse(String procStat) {
        return procStat.lines().filter(l -> l.startsWith("btime "))
                .map(l -> l.substring(6).strip())
                .filter(s -> s.matches("\\d{1,12}"))
                .map(s -> Instant.ofEpochSecond(Long.parseLong(s)))
                .findFirst();
    }
}
