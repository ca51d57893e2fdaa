package dev.oomguard.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.launch.GroupSignals;
import dev.oomguard.proc.KernelEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reflex on a polled gauge (cgroup v2 memory.current, the host's /proc/meminfo), on a real file the test rewrites and a real job that traps the signal. The cgroup v1 threshold path runs against a real kernel in TriggerIT. */
class ReflexIT {
    @TempDir
    Path tmp;

    @Test
    void aPolledGaugeReachingItsLevelPutsTheFileInPlaceThenSignalsTheJobsGroup() throws Exception {
        Path gauge = tmp.resolve("memory.current");
        Files.writeString(gauge, "1000\n");
        Path flag = tmp.resolve("checkpoint");
        Path seen = tmp.resolve("seen");
        Checkpoints checkpoints = new Checkpoints(Optional.of(flag), Duration.ofSeconds(60), Clock.systemUTC(), System::nanoTime);
        Process job = new ProcessBuilder("setsid", "sh", "-c",
                "trap 'cat \"$0\" > \"$1\"; exit 0' USR1; while :; do sleep 0.05; done", flag.toString(), seen.toString())
                .start();
        List<String> said = new CopyOnWriteArrayList<>();
        try (Reflex reflex = new Reflex(KernelEvents.load(),
                new CheckpointRequest(checkpoints, new GroupSignals(() -> (int) job.pid(), sig -> { })), 10, said::add)) {
            assertThat(reflex.start()).isTrue();
            reflex.armPolled(new Reflex.Polled(gauge.toString(), false), 5000, "why: the level");
            Thread.sleep(300);
            assertThat(job.isAlive()).as("below the level: nothing sent").isTrue();
            assertThat(reflex.claim()).isEmpty();
            reflex.armPolled(new Reflex.Polled(gauge.toString(), false), 5000, "why: the level");
            Files.writeString(gauge, "6000\n"); // in place, as the kernel's files change: the reflex keeps its descriptor
            assertThat(job.waitFor(10, TimeUnit.SECONDS)).as("the job's trap ran").isTrue();
            assertThat(job.exitValue()).isZero();
            assertThat(Files.readString(seen)).as("the flag file was in place when the signal came").isEqualTo("why: the level\n");
            assertThat(reflex.claim()).hasValueSatisfying(f -> assertThat(f.fileRenamed()).isTrue());
            assertThat(reflex.claim()).isEmpty();
        } finally {
            job.destroyForcibly();
        }
    }
}
