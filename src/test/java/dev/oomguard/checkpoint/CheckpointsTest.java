package dev.oomguard.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a checkpoint request to its answer, with real files and a hand-driven clock. */
class CheckpointsTest {
    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong();
    private final List<Checkpoint> told = new ArrayList<>();
    private Path flag;
    private Checkpoints checkpoints;

    @BeforeEach
    void setUp() {
        flag = dir.resolve("checkpoint");
        checkpoints = new Checkpoints(Optional.of(flag), Duration.ofSeconds(30),
                Clock.fixed(Instant.parse("2026-11-26T12:03:04Z"), ZoneOffset.UTC), nanos::get);
        checkpoints.onAnswer(told::add);
    }

    private void ask() throws Exception {
        checkpoints.prepare();
        Files.writeString(flag, "--checkpoint 90% reached\n");
        checkpoints.asked("--checkpoint 90% reached", OptionalDouble.of(90.24), true, false);
    }

    private void after(double seconds) {
        nanos.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void removingTheFlagFileAcknowledges() throws Exception {
        ask();
        after(1);
        assertThat(checkpoints.inProgress()).isTrue();
        after(2.1);
        Files.delete(flag);
        assertThat(checkpoints.inProgress()).isFalse();
        assertThat(told).hasSize(1);
        Checkpoint c = told.get(0);
        assertThat(c.acknowledged()).isTrue();
        assertThat(c.how()).isEqualTo("the job removed the flag file");
        assertThat(c.describe(ZoneId.of("UTC")))
                .isEqualTo("checkpoint asked at 12:03:04 (90.2% used), acknowledged 3.1 s later (the job removed the flag file)");
        assertThat(checkpoints.finish()).containsExactly(c);
    }

    @Test
    void writingDoneAcknowledgesAndBothFilesAreCleared() throws Exception {
        ask();
        after(0.5);
        Files.writeString(dir.resolve("checkpoint.done"), "");
        assertThat(checkpoints.inProgress()).isFalse();
        assertThat(told).singleElement().satisfies(c -> assertThat(c.how()).isEqualTo("the job wrote checkpoint.done"));
        assertThat(flag).doesNotExist();
        assertThat(dir.resolve("checkpoint.done")).doesNotExist();
    }

    @Test
    void aStaleDoneCannotAcknowledgeTheNextRequest() throws Exception {
        Files.writeString(dir.resolve("checkpoint.done"), "");
        ask();
        assertThat(checkpoints.inProgress()).isTrue();
        assertThat(told).isEmpty();
    }

    @Test
    void theHookExitingZeroAcknowledgesNonZeroDoesNot() throws Exception {
        checkpoints.asked("r", OptionalDouble.empty(), false, true);
        checkpoints.hookExited(1);
        assertThat(checkpoints.inProgress()).isTrue();
        checkpoints.hookExited(0);
        assertThat(checkpoints.inProgress()).isFalse();
        assertThat(told).singleElement().satisfies(c -> {
            assertThat(c.how()).isEqualTo("the --on-checkpoint hook exited 0");
            assertThat(c.describe(ZoneId.of("UTC"))).startsWith("checkpoint asked at 12:03:04, acknowledged");
        });
    }

    @Test
    void withOnlyASignalOnlyDoneAcknowledges() throws Exception {
        checkpoints.asked("r", OptionalDouble.empty(), false, false); // no flag file was written
        assertThat(checkpoints.inProgress()).as("the file's absence says nothing").isTrue();
    }

    @Test
    void noAnswerWithinTheTimeoutEndsTheCheckpoint() throws Exception {
        ask();
        after(29.9);
        assertThat(checkpoints.inProgress()).isTrue();
        after(0.1);
        assertThat(checkpoints.inProgress()).isFalse();
        assertThat(told).singleElement().satisfies(c -> {
            assertThat(c.answer()).isEqualTo(Checkpoint.Answer.TIMED_OUT);
            assertThat(c.describe(ZoneId.of("UTC"))).isEqualTo(
                    "checkpoint asked at 12:03:04 (90.2% used), not acknowledged (not within the 30s --checkpoint-timeout)");
        });
        assertThat(flag).as("the request stands: the job may still honour it").exists();
    }

    @Test
    void aRequestOpenWhenTheJobEndsIsUnanswered() throws Exception {
        ask();
        after(2);
        List<Checkpoint> all = checkpoints.finish();
        assertThat(all).singleElement().satisfies(c -> {
            assertThat(c.answer()).isEqualTo(Checkpoint.Answer.UNANSWERED);
            assertThat(c.describe(ZoneId.of("UTC"))).endsWith("not acknowledged (the job ended first)");
        });
    }

    @Test
    void aSecondRequestWhileOneIsOpenJoinsIt() throws Exception {
        ask();
        after(5);
        ask();
        after(1);
        Files.delete(flag);
        checkpoints.poll();
        assertThat(told).singleElement().satisfies(c -> assertThat(c.after()).hasValue(Duration.ofSeconds(6)));
    }
}
