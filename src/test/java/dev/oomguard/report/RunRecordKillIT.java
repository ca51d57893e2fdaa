package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer SIGKILLed in full flow (a separate JVM, killed at a random moment) leaves a record
 * that reads back whole up to its last line: the header, every whole line, at most one cut line.
 */
class RunRecordKillIT {
    @TempDir
    Path dir;

    @RepeatedTest(3)
    void aRecordWhoseWriterIsSigkilledReadsBackUpToItsLastWholeLine() throws Exception {
        Path file = dir.resolve("run.jsonl");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RecordWriterMain.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer.log").toFile()).start();
        try {
            long target = 2000 + (long) (Math.random() * 3000);
            // A bound on waiting (12,000 × 5 ms), not a timing check: a stuck writer fails the test.
            for (int i = 0; i < 12_000 && lines(file) < target; i++) {
                assertThat(writer.isAlive()).as("writer alive: %s", Files.readString(dir.resolve("writer.log"))).isTrue();
                Thread.sleep(5);
            }
            if (lines(file) < target) {
                throw new AssertionError("the writer wrote fewer than " + target + " lines in a minute");
            }
        } finally {
            writer.destroyForcibly(); // SIGKILL on Linux
            writer.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(writer.exitValue()).isEqualTo(137);

        RecordReader.Result read = RecordReader.read(Files.newInputStream(file));

        assertThat(read.header()).isPresent();
        assertThat(read.samples().size()).isGreaterThan(1000);
        assertThat(read.exit()).isEmpty();
        assertThat(read.skipped()).hasSizeLessThanOrEqualTo(1)
                .allSatisfy(s -> assertThat(s.reason()).startsWith("truncated last line"));
        long newlines = Files.readString(file).chars().filter(c -> c == '\n').count();
        assertThat((long) read.entries().size()).isBetween(newlines, newlines + 1);
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var in = Files.lines(file)) {
            return in.count();
        }
    }
}
