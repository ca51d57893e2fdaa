package dev.oomguard.watch;

import dev.oomguard.launch.GroupSignals;
import dev.oomguard.checkpoint.Checkpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.Figures;
import dev.oomguard.guard.Step;
import dev.oomguard.proc.Signal;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.units.ByteSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint request as the responder sends it: the flag file, the signal, the hook and its context. */
class ResponderCheckpointTest {
    @TempDir
    Path dir;

    private final List<String> said = new CopyOnWriteArrayList<>();
    private final List<Integer> signals = new CopyOnWriteArrayList<>();

    private static Action checkpointAction() {
        Limit limit = new Limit(LimitSource.CGROUP_V1, "cgroup v1 /job: memory.limit_in_bytes", ByteSize.ofMiB(256),
                ByteSize.ofMiB(25));
        return new Action(Step.CHECKPOINT, "ask the job to checkpoint", "--checkpoint 90% reached and still growing",
                new Figures(7, limit, OptionalDouble.of(12 << 20), Optional.of(Duration.ofSeconds(2))), Optional.empty());
    }

    @Test
    void theHookGetsTheWholeContextAndItsExitZeroAcknowledges() throws Exception {
        Path flag = dir.resolve("checkpoint");
        Path env = dir.resolve("env");
        Checkpoints checkpoints = new Checkpoints(Optional.of(flag), Duration.ofSeconds(20), Clock.systemUTC(),
                System::nanoTime);
        List<Checkpoint> answers = new ArrayList<>();
        checkpoints.onAnswer(answers::add);
        Hooks hooks = new Hooks(Duration.ofSeconds(30), said::add);
        Responder r = new Responder(new Responder.Settings(false, Optional.of(Signal.USR1),
                Optional.of("env > " + env + "; cat > " + env + ".json"), Optional.empty(), Responder.OnPartial.WARN,
                Optional.of(flag), Optional.of(Duration.ofSeconds(20))), new GroupSignals(() -> -1, signals::add), said::add, hooks,
                Map.of("OOMGUARD_PID", "4242", "OOMGUARD_CHECKPOINT_FILE", flag.toString(), "OOMGUARD_COMMAND", "job"),
                checkpoints);
        r.jobStarted(4343);
        r.act(checkpointAction());
        assertThat(Files.readString(flag)).isEqualTo("--checkpoint 90% reached and still growing\n");
        assertThat(signals).containsExactly(Signal.USR1.number());
        hooks.drain();

        Map<String, String> seen = Arrays.stream(Files.readString(env).split("\n")).filter(l -> l.startsWith("OOMGUARD_"))
                .map(l -> l.split("=", 2)).collect(Collectors.toMap(a -> a[0], a -> a[1]));
        assertThat(seen).containsEntry("OOMGUARD_PID", "4242").containsEntry("OOMGUARD_JOB_PID", "4343")
                .containsEntry("OOMGUARD_EVENT", "checkpoint").containsEntry("OOMGUARD_CHECKPOINT_FILE", flag.toString())
                .containsEntry("OOMGUARD_USED_BYTES", Long.toString(231L << 20))
                .containsEntry("OOMGUARD_LIMIT_BYTES", Long.toString(256L << 20))
                .containsEntry("OOMGUARD_HEADROOM_BYTES", Long.toString(25L << 20))
                .containsEntry("OOMGUARD_USED_PERCENT", "90.2").containsEntry("OOMGUARD_SECONDS_LEFT", "2")
                .containsEntry("OOMGUARD_CHECKPOINT_TIMEOUT_SECONDS", "20")
                .containsKeys("OOMGUARD_LIMIT", "OOMGUARD_LIMIT_SOURCE", "OOMGUARD_REASON", "OOMGUARD_DRY_RUN");
        assertThat(Files.readString(dir.resolve("env.json"))).contains("\"OOMGUARD_HEADROOM_BYTES\":\"26214400\"");

        assertThat(checkpoints.inProgress()).as("the hook exited 0").isFalse();
        assertThat(answers).singleElement().satisfies(c -> assertThat(c.how()).isEqualTo("the --on-checkpoint hook exited 0"));
        assertThat(said).anyMatch(l -> l.startsWith("the job acknowledged the checkpoint"));
    }

    @Test
    void aDeferredStopIsSaidSo() {
        Responder r = new Responder(new Responder.Settings(false, Optional.empty(), Optional.empty(), Optional.empty(),
                Responder.OnPartial.WARN, Optional.empty()), new GroupSignals(() -> -1, signals::add), said::add,
                new Hooks(Duration.ofSeconds(1), said::add), Map.of());
        Action a = checkpointAction();
        r.act(new Action(Step.STOP_DEFERRED, "let the job finish its checkpoint", "--stop 95% reached, but ...",
                a.figures(), Optional.empty()));
        assertThat(said).containsExactly("stop deferred: checkpoint in progress; --stop 95% reached, but ...");
        assertThat(signals).as("nothing sent").isEmpty();
        assertThat(r.stoppedByGuard()).isFalse();
    }
}
