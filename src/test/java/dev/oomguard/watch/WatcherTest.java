package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.GuardSettings;
import dev.oomguard.guard.Ladder;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.TickListener;
import dev.oomguard.proc.FakeProc;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.sample.PssPolicy;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import dev.oomguard.sample.TreeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tick loop: failures end the monitoring, never anything else, and are reported once. */
class WatcherTest {
    @TempDir
    Path root;

    private static final class Recorder implements TickListener {
        final List<Sample> samples = new CopyOnWriteArrayList<>();
        final List<Exception> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch twoSamples = new CountDownLatch(2);
        final CountDownLatch failed = new CountDownLatch(1);

        @Override
        public void sampled(Sample sample) {
            samples.add(sample);
            twoSamples.countDown();
        }

        @Override
        public void act(Action action) {
        }

        @Override
        public void partialKill(PartialKill kill, Sample sample) {
        }

        @Override
        public void failed(Exception e) {
            failures.add(e);
            failed.countDown();
        }
    }

    @Test
    void aFailingMeasurementEndsTheMonitoringOnceAndSaysWhy() throws Exception {
        FakeProc proc = new FakeProc(root);
        proc.meminfo(16 << 20, 12 << 20, 0, 0);
        proc.vmstat(0);
        proc.process(100, "java", 1, 100, 1000, 30_000, 10_000, 0, 1);
        proc.process(200, "job", 100, 200, 2000, 50_000, 1_000, 0, 10);
        Sampler sampler = new Sampler(proc.fs(), TreeSpec.of(200).adoptedBy(100),
                LimitSources.standard().withPss(PssPolicy.never()));
        Recorder recorder = new Recorder();
        Watcher w = new Watcher(sampler, new Ladder(GuardSettings.defaults()), new RunSummary(),
                Duration.ofMillis(5), System::nanoTime, recorder);
        w.start();
        assertThat(recorder.twoSamples.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.samples.get(0).tree()).extracting(p -> p.pid()).containsExactly(200);

        Files.writeString(root.resolve("proc/meminfo"), "MemTotal: garbage\n");
        assertThat(recorder.failed.await(10, TimeUnit.SECONDS)).isTrue();
        int seen = recorder.samples.size();
        Thread.sleep(50);
        assertThat(recorder.failures).hasSize(1);
        assertThat(recorder.failures.get(0).getMessage()).contains("meminfo");
        assertThat(recorder.samples).as("no tick after the failure").hasSize(seen);
        w.stop();
    }
}
