package dev.oomguard.guard;

import static dev.oomguard.guard.Samples.MIB;
import static dev.oomguard.guard.Samples.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.TreeTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The ladder's judgement: an irreversible action needs the level, not a forecast; a user's cap is
 * a cap; a forecast needs a sustained trend above the floor (docs/guarding.md, "The ladder").
 */
class LadderJudgementTest {
    private static final long LIMIT_400M = 400 * MIB;

    /**
     * A sample of a one-process tree holding {@code treeBytes} under {@code source}'s limit of
     * {@code capBytes}: the limit's use stops at its capacity, the tree's does not.
     */
    private static Sample sample(long tick, long nanos, LimitSource source, long capBytes, long treeBytes) {
        Limit l = Samples.limit(source, capBytes, Math.min(capBytes, treeBytes));
        List<ProcessMemory> tree = List.of(Samples.process(42, "python3", treeBytes / 1024));
        return new Sample(nanos, tick, tree, TreeTotals.of(tree), new MemInfo(16 << 20, 8 << 20, 0, 0), List.of(l), l,
                List.of(), new OomKillCounters(OptionalLong.of(0), Map.of()), List.of());
    }

    /** Samples every {@code everyMillis} from 0 to {@code untilMillis} with the tree at used(ms). */
    private static List<Action> run(Ladder ladder, LimitSource source, long cap, long everyMillis, long untilMillis,
            LongUnaryOperator usedAtMillis) {
        List<Action> all = new ArrayList<>();
        long tick = 0;
        for (long ms = 0; ms <= untilMillis; ms += everyMillis) {
            all.addAll(ladder.decide(sample(tick++, ms * 1_000_000, source, cap, usedAtMillis.applyAsLong(ms)),
                    ms * 1_000_000));
        }
        return all;
    }

    /** python3 starting (10 MiB over half a second), then 60 MiB at once at {@code burstAtMillis}, then flat. */
    private static long pythonLoad(long ms, long burstAtMillis, long burstMillis) {
        long start = Math.min(10 * MIB, ms * 10 * MIB / 500);
        long load = ms < burstAtMillis ? 0 : ms >= burstAtMillis + burstMillis ? 60 * MIB
                : 60 * MIB * (ms - burstAtMillis) / Math.max(1, burstMillis);
        return start + load;
    }

    @Test
    void theSixtyMiBLoadUnder400MIsNeitherCheckpointedNorStopped() {
        for (GuardSettings s : List.of(GuardSettings.defaults(), GuardSettings.defaults()
                .withStopMode(StopMode.PAUSE, Duration.ofMinutes(5)))) {
            for (long every : new long[] {50, 100, 250, 1000, 2500}) {
                // at once (between two samples), then `sleep 5`, and then a minute of work
                assertThat(run(new Ladder(s), LimitSource.USER, LIMIT_400M, every, 65_000, ms -> pythonLoad(ms, 600, 0)))
                        .as("sampled every %d ms", every).isEmpty();
            }
        }
    }

    /**
     * Sampled densely (as a young job is), a load spread over three seconds looks like steady
     * growth, and the window keeps that climb for minutes; once it has levelled off the job is not
     * "still growing": found past --stop under a kernel-enforced limit (here the group's limit is
     * lowered under it, as TriggerIT does live), it is not stopped, nor asked to checkpoint.
     */
    @Test
    void aDenselySampledLoadThatHasLevelledOffIsNotStoppedWhenFoundPastTheStopLevel() {
        for (long every : new long[] {50, 100, 250}) {
            Ladder ladder = new Ladder(GuardSettings.defaults());
            List<Action> actions = new ArrayList<>();
            long tick = 0;
            for (long ms = 0; ms <= 60_000; ms += every) {
                long used = ms >= 3000 ? 200 * MIB : 10 * MIB + 190 * MIB * ms / 3000;
                long cap = ms < 4000 ? 512 * MIB : 207 * MIB; // 96.6% from 4 s on
                actions.addAll(ladder.decide(sample(tick++, ms * 1_000_000, LimitSource.CGROUP_V1, cap, used),
                        ms * 1_000_000));
            }
            assertThat(actions).as("sampled every %d ms", every).extracting(Action::step).containsExactly(Step.WARN);
        }
    }

    @Test
    void theSameLoadGrownOverOneSecondGetsNoCheckpointBelowTheFloor() {
        GuardSettings lead60 = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(60));
        for (long every : new long[] {50, 100, 250, 1000}) {
            List<Action> all = run(new Ladder(lead60), LimitSource.USER, LIMIT_400M, every, 10_000,
                    ms -> pythonLoad(ms, 600, 1000));
            assertThat(all).as("sampled every %d ms", every).isEmpty();
        }
        // With the floor lowered below the job's use, the forecast may act, but still needs 20 s of growth:
        // one second of it is no trend.
        GuardSettings low = lead60.withForecastFloor(Optional.of(Threshold.parse("5%")));
        assertThat(run(new Ladder(low), LimitSource.USER, LIMIT_400M, 100, 10_000, ms -> pythonLoad(ms, 600, 1000)))
                .isEmpty();
    }

    @Test
    void aForecastAboveTheFloorOnASustainedTrendBringsTheCheckpointForward() {
        // 2 MiB/s from 300 MiB under 400 MiB: 80% (320 MiB) at t=10 s, 90% at t=30 s, full at t=50 s.
        GuardSettings s = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(60));
        List<Action> all = run(new Ladder(s), LimitSource.USER, LIMIT_400M, 1000, 60_000, ms -> 300 * MIB + ms * 2 * MIB / 1000);
        Action checkpoint = all.stream().filter(a -> a.step() == Step.CHECKPOINT).findFirst().orElseThrow();
        assertThat(checkpoint.figures().binding().percentUsed()).as("at or above the floor").isGreaterThanOrEqualTo(80)
                .as("before the --checkpoint level").isLessThan(90);
        assertThat(checkpoint.figures().tick()).as("after 20 s of growth").isGreaterThanOrEqualTo(20);
        assertThat(checkpoint.why()).contains("exhaustion predicted within --checkpoint-lead 60s")
                .contains("at 8").contains("growing 2 MiB/s").contains("above --forecast-floor 80%");
    }

    @Property(tries = 200)
    void aSteadyLeakIsStoppedAtOrAfterTheStopLevelAndBeforeTheLimit(
            @ForAll @IntRange(min = 1, max = 40) int mibPerSecond,
            @ForAll @IntRange(min = 0, max = 60) int startPercent,
            @ForAll("sources") LimitSource source,
            @ForAll boolean pause) {
        GuardSettings s = pause ? GuardSettings.defaults().withStopMode(StopMode.PAUSE, Duration.ofMinutes(5))
                : GuardSettings.defaults();
        long cap = 2048 * MIB;
        long start = cap * startPercent / 100;
        // one sample per 0.5% of the limit, as the guard samples closer together near the levels
        long every = Math.max(1, 10 * 1000 / mibPerSecond);
        long until = (cap - start) * 1000 / (mibPerSecond * MIB) + 1000;
        List<Action> all = run(new Ladder(s), source, cap, every, until, ms -> start + ms * mibPerSecond * MIB / 1000);
        Action stop = all.stream().filter(a -> a.step() == (pause ? Step.PAUSE : Step.TERMINATE)).findFirst()
                .orElseThrow(() -> new AssertionError("not stopped: " + all));
        assertThat(stop.figures().binding().percentUsed()).isGreaterThanOrEqualTo(95);
        assertThat(stop.figures().binding().headroom().bytes()).as("before the limit").isPositive();
        assertThat(stop.why()).contains("--stop 95% reached").contains("growing");
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<LimitSource> sources() {
        return net.jqwik.api.Arbitraries.of(LimitSource.USER, LimitSource.CGROUP_V1, LimitSource.CGROUP_V2);
    }

    /** Whatever the series, under a kernel-enforced limit a stop is never taken below the stop level. */
    @Property(tries = 300)
    void noStopBelowTheStopLevel(
            @ForAll @Size(min = 1, max = 200) List<@LongRange(min = -300, max = 600) Long> stepsMiB,
            @ForAll @IntRange(min = 50, max = 5000) int everyMillis,
            @ForAll("sources") LimitSource source,
            @ForAll boolean pause) {
        GuardSettings s = pause ? GuardSettings.defaults().withStopMode(StopMode.PAUSE, Duration.ofMinutes(5))
                : GuardSettings.defaults();
        Ladder ladder = new Ladder(s);
        long cap = 4096 * MIB;
        long used = 0;
        for (int i = 0; i < stepsMiB.size(); i++) {
            used = Math.max(0, used + stepsMiB.get(i) * MIB);
            long nanos = (long) i * everyMillis * 1_000_000;
            for (Action a : ladder.decide(sample(i, nanos, source, cap, used), nanos)) {
                if (a.step() == Step.TERMINATE || a.step() == Step.PAUSE) {
                    assertThat(a.figures().binding().percentUsed()).as(a.describe()).isGreaterThanOrEqualTo(95);
                }
            }
        }
    }

    @Test
    void aJumpOverAUsersCapIsStoppedAtTheNextReadingThoughItHoldsFlat() {
        long cap = 50 * MIB;
        for (StopMode mode : StopMode.values()) {
            Ladder ladder = new Ladder(GuardSettings.defaults().withStopMode(mode, Duration.ofMinutes(5)));
            List<Action> all = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                all.addAll(ladder.decide(sample(t, t * SECOND / 10, LimitSource.USER, cap, 10 * MIB), t * SECOND / 10));
            }
            assertThat(all).isEmpty();
            // oomguard stopped for 5 s: the next reading finds the tree at 80 MiB, and then flat
            long at = 5_400_000_000L;
            List<Action> next = ladder.decide(sample(5, at, LimitSource.USER, cap, 80 * MIB), at);
            Step stop = mode == StopMode.PAUSE ? Step.PAUSE : Step.TERMINATE;
            assertThat(next).extracting(Action::step).contains(stop);
            Action a = next.stream().filter(x -> x.step() == stop).findFirst().orElseThrow();
            assertThat(a.why()).contains("--stop 95% of your --limit 50M cap reached").contains("160.0% of the cap (80 MiB)")
                    .contains("a cap is enforced whatever the growth");
        }
    }

    @Test
    void aJumpPastTheStopLevelOfAKernelEnforcedLimitThatHoldsIsWarnedNotStopped() {
        long cap = 512 * MIB;
        Ladder ladder = new Ladder(GuardSettings.defaults());
        List<Action> all = new ArrayList<>();
        for (int t = 0; t < 300; t++) {
            long used = t < 20 ? 50 * MIB : 500 * MIB; // 97.7% from t=20 on, flat: the kernel decides
            all.addAll(ladder.decide(sample(t, t * SECOND, LimitSource.CGROUP_V1, cap, used), t * SECOND));
        }
        assertThat(all).extracting(Action::step).containsExactly(Step.WARN);
        assertThat(all.get(0).why()).contains("no steady growth toward the limit: no action yet");
    }

    @Test
    void aUsersCapIsEnforcedWhileACheckpointIsInProgressOnceItIsFull() {
        long cap = 50 * MIB;
        Ladder ladder = new Ladder(GuardSettings.defaults());
        ladder.decide(sample(0, 0, LimitSource.USER, cap, 10 * MIB), 0, true);
        List<Action> a = ladder.decide(sample(1, SECOND, LimitSource.USER, cap, 80 * MIB), SECOND, true);
        assertThat(a).extracting(Action::step).contains(Step.TERMINATE).doesNotContain(Step.STOP_DEFERRED);
        assertThat(a.stream().filter(x -> x.step() == Step.TERMINATE).findFirst().orElseThrow().why())
                .contains("a checkpoint is in progress, but the cap is full");
    }

    @Test
    void afterTheStopTheKillComesSoonerWhenExhaustionIsSecondsAway() {
        // 5 MiB/s steady under 512 MiB: --stop 95% at 486.4 MiB (t=97.3 s), full at t=102.4 s
        long cap = 512 * MIB;
        Ladder ladder = new Ladder(GuardSettings.defaults());
        List<Action> all = run(ladder, LimitSource.CGROUP_V1, cap, 500, 110_000, ms -> ms * 5 * MIB / 1000);
        assertThat(all).extracting(Action::step).containsSubsequence(Step.TERMINATE, Step.KILL);
        Action term = all.stream().filter(a -> a.step() == Step.TERMINATE).findFirst().orElseThrow();
        Action kill = all.stream().filter(a -> a.step() == Step.KILL).findFirst().orElseThrow();
        assertThat(term.figures().binding().percentUsed()).isGreaterThanOrEqualTo(95);
        long waitedTicks = kill.figures().tick() - term.figures().tick();
        assertThat(waitedTicks).as("less than the 10 s grace (20 ticks)").isLessThan(20);
        assertThat(kill.why()).contains("exhaustion predicted before the 10s grace period ends");
    }

    @Test
    void theFloorIsASettingAndMustNotComeAfterTheCheckpoint() {
        GuardSettings d = GuardSettings.defaults();
        assertThat(d.floor()).hasToString("80%");
        assertThat(d.withForecastFloor(Optional.of(Threshold.parse("50%"))).floor()).hasToString("50%");
        assertThat(d.withThresholds(Threshold.parse("70%"), d.checkpoint(), d.stop()).floor())
                .as("follows --warn unless given").hasToString("70%");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> d.withForecastFloor(Optional.of(Threshold.parse("92%"))))
                .hasMessageContaining("--forecast-floor 92% comes after --checkpoint 90%");
    }
}
