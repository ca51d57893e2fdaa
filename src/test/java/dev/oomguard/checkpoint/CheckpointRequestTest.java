package dev.oomguard.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.launch.JobSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flag file is in place before the signal goes out, whichever thread sends the request. */
class CheckpointRequestTest {
    @TempDir
    Path dir;

    /** What the job would find when each signal reaches it, and how it was sent. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private JobSignals signals(Path flag, boolean unreaped) {
        return new JobSignals() {
            @Override
            public void send(int signal) {
                seen.add("send " + signal + ": " + read(flag));
            }

            @Override
            public boolean unreaped() {
                return unreaped;
            }

            @Override
            public void sendToGroupAtOnce(int signal) {
                seen.add("at once " + signal + ": " + read(flag));
            }
        };
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p).strip() : "no file";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private Checkpoints checkpoints(Path flag) {
        return new Checkpoints(Optional.of(flag), Duration.ofSeconds(60), Clock.systemUTC(), System::nanoTime);
    }

    @Test
    void theGuardsRequestWritesTheFileThenSignals() throws Exception {
        Path flag = dir.resolve("checkpoint");
        Files.writeString(dir.resolve("checkpoint.done"), "last time's\n");
        CheckpointRequest r = new CheckpointRequest(checkpoints(flag), signals(flag, true));
        assertThat(r.send("--checkpoint 90% reached", 10, seen::add)).isTrue();
        assertThat(seen).containsExactly("send 10: --checkpoint 90% reached");
        assertThat(dir.resolve("checkpoint.done")).as("the last request's answer cannot acknowledge this one").doesNotExist();
    }

    @Test
    void withoutASignalOnlyTheFileAndWithoutAFileOnlyTheSignal() {
        Path flag = dir.resolve("checkpoint");
        assertThat(new CheckpointRequest(checkpoints(flag), signals(flag, true)).send("why", 0, seen::add)).isTrue();
        assertThat(seen).isEmpty();
        assertThat(read(flag)).isEqualTo("why");
        Checkpoints noFile = new Checkpoints(Optional.empty(), Duration.ofSeconds(60), Clock.systemUTC(), System::nanoTime);
        assertThat(new CheckpointRequest(noFile, signals(dir.resolve("none"), true)).send("why", 12, seen::add)).isFalse();
        assertThat(seen).containsExactly("send 12: no file");
    }

    @Test
    void aFileThatCannotBeWrittenIsSaidAndTheSignalStillGoesOut() {
        Path flag = dir.resolve("missing-dir").resolve("checkpoint");
        List<String> said = new CopyOnWriteArrayList<>();
        assertThat(new CheckpointRequest(checkpoints(flag), signals(flag, true)).send("why", 10, said::add)).isFalse();
        assertThat(said).singleElement().satisfies(l -> assertThat(l).startsWith("cannot write the checkpoint file " + flag));
        assertThat(seen).containsExactly("send 10: no file");
    }

    @Test
    void theReflexsRequestRenamesTheStagedFileIntoPlaceThenSignalsTheGroupAtOnce() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.oomguard.proc.FastCalls.available(), "libc's direct calls");
        Path flag = dir.resolve("checkpoint");
        CheckpointRequest r = new CheckpointRequest(checkpoints(flag), signals(flag, true));
        assertThat(r.stage("--checkpoint 99% crossed", seen::add)).isTrue();
        assertThat(flag).as("staged beside it, not in place yet").doesNotExist();
        assertThat(r.jobUnreaped()).isTrue();
        assertThat(r.sendStaged(10)).isTrue();
        assertThat(seen).containsExactly("at once 10: --checkpoint 99% crossed");
        r.removeStaged();
        try (var files = java.util.stream.Stream.of(dir.toFile().list())) {
            assertThat(files).containsExactly("checkpoint");
        }
    }
}
