package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.oomguard.proc.FakeProc;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.sample.PssPolicy;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import dev.oomguard.sample.TreeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's night replayed on the host path (seeds/000: c4.2xlarge, 15 GiB RAM, 4 GiB swap, an R
 * master and 7 workers; at death the master held ~8.2 GiB resident + 3.9 GiB swapped, each worker
 * 0.8-0.9 GiB). Scripted {@code /proc} files, read by the real Sampler every 5 s of simulated time.
 */
class SeedReplayTest {
    private static final long KIB_PER_GIB = 1024 * 1024;
    private static final long MEM_TOTAL_KIB = 15_399_128;   // 3932061 pages RAM - 82279 reserved, as in the seed
    private static final long SWAP_TOTAL_KIB = 4_194_300;   // "Total swap = 4194300kB"
    private static final long BASE_KIB = 600 * 1024;        // the rest of the machine
    private static final long MIN_FREE_KIB = 100 * 1024;    // the kernel keeps this much RAM
    private static final long WORKER_KIB = (long) (0.87 * KIB_PER_GIB);
    private static final int TICK_SECONDS = 5;
    private static final int MASTER = 3026;
    private static final int[] WORKERS = {3041, 3050, 3059, 3068, 3077, 3086, 3095};

    @TempDir(factory = FakeProc.InMemory.class)
    Path root;

    /** Kernel's view: the job needs {@code jobKiB}; RAM fills first, then swap. */
    private static long[] hostSplit(long jobKiB) {
        long demand = BASE_KIB + jobKiB;
        long ram = Math.min(demand, MEM_TOTAL_KIB - MIN_FREE_KIB);
        long swap = demand - ram;
        return new long[] {MEM_TOTAL_KIB - ram, Math.max(0, SWAP_TOTAL_KIB - swap), swap};
    }

    /** Dies like the seed's job: when the swap is gone. */
    private static boolean dead(long jobKiB) {
        return hostSplit(jobKiB)[2] >= SWAP_TOTAL_KIB;
    }

    private static double percentUsed(long jobKiB) {
        long[] h = hostSplit(jobKiB);
        long capacity = MEM_TOTAL_KIB + SWAP_TOTAL_KIB;
        return 100.0 * (capacity - h[0] - h[1]) / capacity;
    }

    private record Run(Map<Step, Integer> firstTick, List<Action> actions, int deathTick, RunSummary summary,
                       Sample lastSample) {
    }

    /** Replays {@code masterKiB(tick)} until death or {@code maxTicks}; the workers sit at 0.87 GiB. */
    private Run replay(LongUnaryOperator masterKiB, int maxTicks, GuardSettings settings) {
        FakeProc proc = new FakeProc(root);
        proc.process(1, "systemd", 0, 1, 1, 5000, 4000, 0, 0);
        proc.process(13805, "sshd", 1, 13805, 900, 1200, 2000, 0, 1);
        proc.process(3000, "java", 3015, 3000, 5000, 30000, 20000, 0, 2);
        long[] clock = {0};
        Sampler sampler = new Sampler(proc.fs(), TreeSpec.of(MASTER).adoptedBy(3000),
                LimitSources.standard().withPss(PssPolicy.never()), () -> clock[0]);
        Ladder ladder = new Ladder(settings);
        RunSummary summary = new RunSummary();
        Map<Step, Integer> first = new LinkedHashMap<>();
        List<Action> actions = new ArrayList<>();
        int death = -1;
        Sample last = null;
        for (int tick = 0; tick < maxTicks; tick++) {
            long master = masterKiB.applyAsLong(tick);
            long job = master + WORKERS.length * WORKER_KIB;
            if (dead(job)) {
                death = tick;
                break;
            }
            long[] host = hostSplit(job);
            long masterSwap = host[2];
            proc.meminfo(MEM_TOTAL_KIB, host[0], SWAP_TOTAL_KIB, host[1]);
            proc.process(MASTER, "R", 3000, MASTER, 6000, master - masterSwap, 1620, masterSwap,
                    (int) (1000 * master / (MEM_TOTAL_KIB + SWAP_TOTAL_KIB)));
            if (tick == 0) {
                for (int w = 0; w < WORKERS.length; w++) {
                    proc.process(WORKERS[w], "R", MASTER, MASTER, 6100 + w, WORKER_KIB - 1600, 1600, 0,
                            (int) (1000 * WORKER_KIB / (MEM_TOTAL_KIB + SWAP_TOTAL_KIB)));
                }
            }
            clock[0] = tick * TICK_SECONDS * 1_000_000_000L;
            Sample s = sampler.sample();
            summary.accept(s);
            List<Action> decided = ladder.decide(s, clock[0]);
            summary.recordActions(decided);
            for (Action a : decided) {
                first.putIfAbsent(a.step(), tick);
                actions.add(a);
            }
            last = s;
            if (first.containsKey(Step.KILL)) {
                break; // the supervisor has killed the job
            }
        }
        return new Run(first, actions, death, summary, last);
    }

    /** 4 GiB at the start, +1.5 MiB/s, under R's garbage collector: a 30 s sawtooth of 120 MiB. */
    private static long seedMaster(long tick) {
        long seconds = tick * TICK_SECONDS;
        long trend = 4 * KIB_PER_GIB + seconds * 1536;
        long sawtooth = (seconds % 30) * 4 * 1024; // climbs 4 MiB/s for 30 s, then collected
        return trend + sawtooth;
    }

    private static int firstTickAtOrAbove(double percent) {
        for (int t = 0; ; t++) {
            if (percentUsed(seedMaster(t) + WORKERS.length * WORKER_KIB) >= percent) {
                return t;
            }
        }
    }

    @Test
    void warnsCheckpointsAndStopsWellBeforeTheSeedsJobDied() {
        Run run = replay(SeedReplayTest::seedMaster, 3000, GuardSettings.defaults());

        assertThat(run.deathTick()).isEqualTo(-1); // stopped, not killed by the kernel
        int deathTick = 0;
        while (!dead(seedMaster(deathTick) + WORKERS.length * WORKER_KIB)) {
            deathTick++;
        }
        assertThat(run.firstTick()).containsOnlyKeys(Step.WARN, Step.CHECKPOINT, Step.TERMINATE, Step.KILL);
        assertThat(run.actions()).extracting(Action::step)
                .containsExactly(Step.WARN, Step.CHECKPOINT, Step.TERMINATE, Step.KILL);
        assertThat(run.firstTick().get(Step.WARN)).isEqualTo(firstTickAtOrAbove(80));
        assertThat(run.firstTick().get(Step.CHECKPOINT)).isEqualTo(firstTickAtOrAbove(90));
        assertThat(run.firstTick().get(Step.TERMINATE)).isEqualTo(firstTickAtOrAbove(95));
        assertThat(run.firstTick().get(Step.KILL)).isEqualTo(firstTickAtOrAbove(95) + 10 / TICK_SECONDS);
        // "well before": at 1.5 MiB/s the 5% left at --stop 95% is 9.5 minutes before the swap runs out
        assertThat((deathTick - run.firstTick().get(Step.TERMINATE)) * TICK_SECONDS).isGreaterThan(500);
        assertThat((deathTick - run.firstTick().get(Step.CHECKPOINT)) * TICK_SECONDS).isGreaterThanOrEqualTo(1200); // 20 min

        Action stop = run.actions().get(2);
        assertThat(stop.figures().binding().source()).isEqualTo(LimitSource.HOST);
        assertThat(stop.why()).contains("--stop 95%").contains("host: RAM 14.7 GiB + swap 4.0 GiB");
        // The sawtooth does not fool the rate: 1.5 MiB/s underneath, within a third.
        for (Action a : run.actions()) {
            assertThat(a.figures().growthBytesPerSecond().getAsDouble() / (1 << 20)).isCloseTo(1.5, within(0.5));
        }
        assertThat(run.lastSample().oomCandidates().get(0).pid()).isEqualTo(MASTER);
        assertThat(run.lastSample().tree()).hasSize(8);

        RunSummary.ProcessPeak masterPeak = run.summary().processPeaks().get(0);
        assertThat(masterPeak.process().pid()).isEqualTo(MASTER);
        assertThat(masterPeak.swapKiB()).isPositive();
        assertThat(run.summary().bindingTicks()).containsOnlyKeys("host");
        assertThat(run.summary().lowestHeadroom().orElseThrow().limit().percentUsed()).isGreaterThanOrEqualTo(95);
    }

    @Test
    void aJobSittingAt96PercentIsWarnedOnly() {
        long target = findMasterFor(96);
        Run run = replay(t -> target + ((t * 7919) % 41 - 20) * 1024, 720, GuardSettings.defaults()); // ±20 MiB, 1 h
        assertThat(run.actions()).extracting(Action::step).containsExactly(Step.WARN);
        assertThat(run.firstTick().get(Step.WARN)).isZero();
        assertThat(run.actions().get(0).why()).contains("no steady growth toward the limit: no action yet");
    }

    @Test
    void aJobLevellingOffAt96PercentIsNeverStopped() {
        long start = findMasterFor(70);
        long top = findMasterFor(96);
        // approaches 96% with a 20-minute time constant and stays there for the rest of the 2 h
        Run run = replay(t -> top - (long) ((top - start) * Math.exp(-t * TICK_SECONDS / 1200.0)), 1440,
                GuardSettings.defaults());
        assertThat(run.deathTick()).isEqualTo(-1);
        assertThat(run.actions()).extracting(Action::step).doesNotContain(Step.TERMINATE, Step.KILL, Step.PAUSE)
                .startsWith(Step.WARN);
        assertThat(run.lastSample().binding().percentUsed()).isGreaterThan(95.5);
    }

    private static long findMasterFor(double percent) {
        long master = KIB_PER_GIB;
        while (percentUsed(master + WORKERS.length * WORKER_KIB) < percent) {
            master += 1024;
        }
        return master;
    }
}
