package dev.oomguard.kernellog;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the first source that works, in order of preference, and parses it. Sources that fail
 * are reported (name and reason), never fatal.
 */
public final class KernelLogs {
    /** What was read, from where, and which sources failed before it. */
    public record Read(String source, ParsedLog log, List<SourceProblem> problems) {
        public Read {
            problems = List.copyOf(problems);
        }

        public boolean found() {
            return source != null;
        }
    }

    private final ZoneId zone;
    private final int syslogYear;
    private final Instant bootTime;
    private final LocalDateTime now;
    private final Duration timeout;
    private final ReportRetention retention;

    public KernelLogs(ZoneId zone, int syslogYear, Instant bootTime, Duration timeout) {
        this(zone, syslogYear, null, bootTime, timeout, ReportRetention.DEFAULT);
    }

    /** @param now the local time of reading: syslog stamps (no year) are placed in the year up to it */
    public KernelLogs(ZoneId zone, LocalDateTime now, Instant bootTime, Duration timeout) {
        this(zone, now.getYear(), now, bootTime, timeout, ReportRetention.DEFAULT);
    }

    private KernelLogs(ZoneId zone, int syslogYear, LocalDateTime now, Instant bootTime, Duration timeout,
            ReportRetention retention) {
        this.zone = zone;
        this.syslogYear = syslogYear;
        this.now = now;
        this.bootTime = bootTime;
        this.timeout = timeout;
        this.retention = retention;
    }

    /** The same reading, keeping only the reports {@code r} allows (a query's filter, bounds). */
    public KernelLogs keeping(ReportRetention r) {
        return new KernelLogs(zone, syslogYear, now, bootTime, timeout, r);
    }

    /**
     * This machine's sources, best first: /dev/kmsg (complete records, sequence numbers),
     * dmesg, the journal, then the syslog files (which outlive reboots and ring-buffer overruns).
     *
     * @param since a journalctl time spec to narrow the journal, or null
     */
    public static List<KernelLogSource> machineSources(String since) {
        return List.of(new DevKmsgSource(), CommandSource.dmesg(), CommandSource.journalctl(since),
                StreamSource.systemLog(Path.of("/var/log/kern.log")),
                StreamSource.systemLog(Path.of("/var/log/messages")),
                StreamSource.systemLog(Path.of("/var/log/syslog")));
    }

    /** Tries {@code sources} in order; each failure goes to {@code onProblem} as it happens. */
    public Read readFirst(List<KernelLogSource> sources, Consumer<SourceProblem> onProblem) {
        List<SourceProblem> problems = new ArrayList<>();
        for (KernelLogSource s : sources) {
            try (Reader in = s.open(timeout)) {
                KernelLogReader reader = new KernelLogReader(zone, syslogYear, s.stampsFromThisBoot() ? bootTime : null, now);
                return new Read(s.name(), reader.read(in, retention), problems);
            } catch (SourceUnavailableException e) {
                SourceProblem p = new SourceProblem(s.name(), e.getMessage());
                problems.add(p);
                onProblem.accept(p);
            } catch (IOException | RuntimeException e) {
                SourceProblem p = new SourceProblem(s.name(), "read failed: " + e.getMessage());
                problems.add(p);
                onProblem.accept(p);
            }
        }
        return new Read(null, ParsedLog.empty(), problems);
    }
}
