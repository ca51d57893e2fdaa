package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.FakeProc;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.sample.PssPolicy;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import dev.oomguard.sample.TreeSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mclapply's case: the kernel kills a worker, the master carries on. */
class PartialKillsTest {
    @TempDir
    Path root;
    private FakeProc proc;
    private Sampler sampler;

    @BeforeEach
    void job() {
        proc = new FakeProc(root);
        proc.meminfo(16 << 20, 8 << 20, 0, 0);
        proc.process(100, "R", 1, 100, 500, 400_000, 1000, 0, 300);
        proc.process(101, "R", 100, 100, 510, 900_000, 1000, 0, 600);
        proc.process(102, "R", 100, 100, 520, 300_000, 1000, 0, 200);
        sampler = new Sampler(proc.fs(), TreeSpec.of(100), LimitSources.standard().withPss(PssPolicy.never()), () -> 0L);
    }

    @Test
    void aWorkerVanishingWhileOomKillRisesIsReported() {
        Sample before = sampler.sample();
        proc.remove(101);
        proc.vmstat(1);
        Sample after = sampler.sample();
        List<PartialKill> kills = PartialKills.detect(before, after);
        assertThat(kills).singleElement().satisfies(k -> {
            assertThat(k.process().pid()).isEqualTo(101);
            assertThat(k.oomKillsRise()).isEqualTo(1);
            assertThat(k.lastRssAndSwapKiB()).isEqualTo(901_000);
            assertThat(k.describe()).isEqualTo("process 101 (R) vanished while oom_kill rose by 1");
        });
    }

    @Test
    void aKilledWorkerLeftAsAZombieHasVanishedToo() {
        Sample before = sampler.sample();
        proc.zombie(101, "R", 100, 100, 510); // the master has not reaped it yet
        proc.vmstat(1);
        Sample after = sampler.sample();
        assertThat(after.tree()).extracting(p -> p.pid()).containsExactlyInAnyOrder(100, 102);
        assertThat(PartialKills.detect(before, after)).extracting(k -> k.process().pid()).containsExactly(101);
    }

    @Test
    void anOrdinaryExitIsNotAKill() {
        Sample before = sampler.sample();
        proc.remove(102);
        assertThat(PartialKills.detect(before, sampler.sample())).isEmpty();
    }

    @Test
    void aKillElsewhereWithTheWholeTreeAliveIsNotOurs() {
        Sample before = sampler.sample();
        proc.vmstat(5);
        assertThat(PartialKills.detect(before, sampler.sample())).isEmpty();
    }

    @Test
    void aReusedPidIsANewProcessSoTheOldOneVanished() {
        Sample before = sampler.sample();
        proc.process(102, "R", 100, 100, 999, 300_000, 1000, 0, 200); // same PID, later start
        proc.vmstat(2);
        assertThat(PartialKills.detect(before, sampler.sample())).extracting(k -> k.process().startTimeTicks())
                .containsExactly(520L);
    }

    @Test
    void theSummaryCollectsThemAndKeepsPeaksWithTheirProcess() {
        RunSummary summary = new RunSummary();
        summary.accept(sampler.sample());
        proc.process(102, "R", 100, 100, 520, 1_500_000, 1000, 0, 200); // 102 grows past 101
        summary.accept(sampler.sample());
        proc.remove(101);
        proc.vmstat(1);
        assertThat(summary.accept(sampler.sample())).hasSize(1);
        assertThat(summary.partialKills()).extracting(k -> k.process().pid()).containsExactly(101);
        assertThat(summary.processPeaks()).extracting(p -> p.process().pid()).containsExactly(102, 101, 100);
        assertThat(summary.processPeaks().get(0).tick()).isEqualTo(2);
        assertThat(summary.treePeak().orElseThrow().tick()).isEqualTo(2);
        assertThat(summary.ticks()).isEqualTo(3);
    }
}
