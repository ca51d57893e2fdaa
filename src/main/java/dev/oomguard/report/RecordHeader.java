package dev.oomguard.report;

import dev.oomguard.sample.Limit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the header line says about the run.
 *
 * @param settings the user's choices, by option name without dashes ({@code warn} → {@code 80%})
 * @param limits   the limits known when the record opened (may be empty: the job's cgroup is
 *                 known once it runs); the record adds a {@code limits} event whenever the set changes
 */
public record RecordHeader(String command, String host, String kernel, String version, int oomguardPid,
        Instant started, Duration interval, boolean dryRun, Map<String, String> settings, List<Limit> limits) {
    public RecordHeader {
        if (command == null || host == null || kernel == null || version == null || started == null
                || interval == null) {
            throw new IllegalArgumentException("incomplete record header");
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        limits = List.copyOf(limits);
    }

    /** A header for this machine: host name and kernel release from {@code /proc/sys/kernel}. */
    public static RecordHeader local(String command, String version, int oomguardPid, Instant started, Duration interval,
            boolean dryRun, Map<String, String> settings, List<Limit> limits) {
        String host = firstLine(Path.of("/proc/sys/kernel/hostname"))
                .orElse(Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown"));
        String kernel = firstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version"));
        return new RecordHeader(command, host, kernel, version, oomguardPid, started, interval, dryRun, settings, limits);
    }

    private static Optional<String> firstLine(Path p) {
        try {
            return Files.readAllLines(p).stream().findFirst().map(String::trim).filter(s -> !s.isEmpty());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
