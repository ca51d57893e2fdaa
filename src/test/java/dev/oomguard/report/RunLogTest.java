package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {
    @TempDir
    Path dir;

    @Test
    void eachLineIsStampedWithTheTimeAndOomguardsPid() {
        ZonedDateTime t = ZonedDateTime.of(2026, 11, 26, 3, 0, 1, 123_000_000, ZoneId.of("Europe/Berlin"));
        assertThat(RunLog.format(t, 4242, "warning: --warn 80% reached"))
                .isEqualTo("2026-11-26T03:00:01.123+01:00 oomguard[4242]: warning: --warn 80% reached\n");
        assertThat(RunLog.format(t.withZoneSameInstant(ZoneId.of("UTC")), 7, "a\nb"))
                .isEqualTo("2026-11-26T02:00:01.123Z oomguard[7]: a\n2026-11-26T02:00:01.123Z oomguard[7]: b\n");
    }

    @Test
    void appendsToWhatIsThereAndCreatesTheFileIfMissing() throws IOException {
        Path file = dir.resolve("job.log");
        Files.writeString(file, "earlier run\n");
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T02:00:00Z"), ZoneId.of("UTC"));
        RunLog log = RunLog.open(file, 9, clock, m -> { });
        log.accept("one");
        log.accept("two");
        assertThat(Files.readString(file)).isEqualTo("earlier run\n2026-11-26T02:00:00.000Z oomguard[9]: one\n"
                + "2026-11-26T02:00:00.000Z oomguard[9]: two\n");
        RunLog fresh = RunLog.open(dir.resolve("new.log"), 9, clock, m -> { });
        fresh.accept("x");
        assertThat(dir.resolve("new.log")).hasContent("2026-11-26T02:00:00.000Z oomguard[9]: x");
    }

    @Test
    void aFileThatCannotBeOpenedIsOneLineNamingItAndWhy() {
        assertThatThrownBy(() -> RunLog.open(dir.resolve("no/such/dir.log"), 1, Clock.systemUTC(), m -> { }))
                .hasMessage("--log: cannot open " + dir.resolve("no/such/dir.log") + " for appending: No such file or directory");
        assertThatThrownBy(() -> RunLog.open(dir, 1, Clock.systemUTC(), m -> { }))
                .hasMessageEndingWith("for appending: it is a directory");
    }

    @Test
    void aFailedWriteIsToldOnceAndTheLogStops() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full here");
        List<String> told = new ArrayList<>();
        RunLog log = RunLog.open(full, new java.io.FileOutputStream(full.toFile(), true), 1, Clock.systemUTC(), told::add);
        log.accept("a");
        log.accept("b");
        assertThat(told).hasSize(1);
        assertThat(told.get(0)).startsWith("--log: cannot write /dev/full (").endsWith("); the log stops here");
    }
}
