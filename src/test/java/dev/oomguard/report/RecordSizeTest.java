package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the size claims of docs/records.md ("Downsampling") true: bytes per sample line, and a 3-day run's record. */
class RecordSizeTest {
    @TempDir
    Path dir;

    @Test
    void aSampleLineOfAnEightWorkerJobStaysUnder1200Bytes() throws IOException {
        RecordSamples.Clocks clocks = new RecordSamples.Clocks();
        Path file = dir.resolve("run.jsonl");
        try (RunRecord r = RunRecord.open(file, RecordSamples.header(), clocks.options(Downsampling.NONE))) {
            for (int tick = 1; tick <= 100; tick++) {
                r.sample(RecordSamples.sample(tick, clocks.at(tick * 500L), 8, (3000L << 20) + tick * 4096L));
            }
        }
        List<String> samples = Files.readAllLines(file).stream().filter(l -> l.startsWith("{\"type\":\"sample\""))
                .toList();
        double bytesPerLine = samples.stream().mapToInt(l -> l.length() + 1).average().orElseThrow();
        long threeDays = Math.round(bytesPerLine * Downsampling.STANDARD.keptSamples(Duration.ofDays(3),
                Duration.ofMillis(500)));
        System.out.printf("sample line: %.0f bytes; 3 days at 500 ms: %d bytes%n", bytesPerLine, threeDays);

        assertThat(samples).hasSize(100);
        assertThat(bytesPerLine).isLessThan(1200);
        assertThat(threeDays).isLessThan(20L << 20);
    }
}
