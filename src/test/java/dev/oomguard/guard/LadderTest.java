package dev.oomguard.guard;

import static dev.oomguard.guard.Samples.GIB;
import static dev.oomguard.guard.Samples.MIB;
import static dev.oomguard.guard.Samples.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomCandidate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LadderTest {
    private static final long CAP = 10 * GIB;

    /** Runs ticks 0..n with used(t) on a cgroup limit of 10 GiB; returns the tick of each step. */
    private static Map<Step, Long> run(Ladder ladder, int n, LongUnaryOperator used, List<Action> all) {
        Map<Step, Long> first = new TreeMap<>();
        for (int t = 0; t <= n; t++) {
            Limit l = Samples.limit(LimitSource.CGROUP_V1, CAP, Math.min(CAP, used.applyAsLong(t)));
            for (Action a : ladder.decide(Samples.at(t, l), t * SECOND)) {
                first.putIfAbsent(a.step(), (long) t);
                all.add(a);
            }
        }
        return first;
    }

    @Test
    void steadyGrowthClimbsTheLadderInOrderAndKillsAfterTheGrace() {
        List<Action> all = new ArrayList<>();
        // 5 GiB + 20 MiB/s: 80% at t=153.6, 90% at 204.8, 95% at 230.4, full at 256
        Map<Step, Long> first = run(new Ladder(GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(10))),
                250, t -> 5 * GIB + t * 20 * MIB, all);
        assertThat(first).containsExactly(Map.entry(Step.WARN, 154L), Map.entry(Step.CHECKPOINT, 205L),
                Map.entry(Step.TERMINATE, 231L), Map.entry(Step.KILL, 241L));
        assertThat(all).extracting(Action::step)
                .containsExactly(Step.WARN, Step.CHECKPOINT, Step.TERMINATE, Step.KILL); // each once
        Action stop = all.get(2);
        assertThat(stop.why()).contains("--stop 95%").contains("still shrinking").contains("growing 20 MiB/s");
        assertThat(stop.todo()).contains("SIGTERM").contains("SIGKILL after 10s");
        assertThat(stop.figures().binding().percentUsed()).isGreaterThanOrEqualTo(95);
        assertThat(stop.figures().timeToExhaustion()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isBetween(20L, 26L));
    }

    @Test
    void checkpointLeadAsksEarlierThanThePercentage() {
        List<Action> all = new ArrayList<>();
        // full at t=256; a 60 s lead asks at t >= 196, before 90% (t=205)
        Map<Step, Long> first = run(new Ladder(GuardSettings.defaults()), 240, t -> 5 * GIB + t * 20 * MIB, all);
        assertThat(first.get(Step.CHECKPOINT)).isEqualTo(196L);
        assertThat(all.stream().filter(a -> a.step() == Step.CHECKPOINT).findFirst().orElseThrow().why())
                .contains("--checkpoint-lead 60s");
    }

    @Test
    void aSuddenSurgeIsStoppedAtTheStopLevelNeverBeforeAndKilledAsSoonAsTheLimitIsAtHand() {
        List<Action> all = new ArrayList<>();
        // 1 GiB, then +500 MiB a second from t=10: 80% is crossed at t=25, 95% at t=28 (97.9%), exhaustion at t=28.4
        Map<Step, Long> first = run(new Ladder(GuardSettings.defaults()), 40,
                t -> t < 10 ? GIB : GIB + (t - 10) * 500 * MIB, all);
        // The prediction says "within 10 s" from t=25; a stop waits for the level all the same.
        assertThat(first.get(Step.TERMINATE)).isEqualTo(28L);
        Action stop = all.stream().filter(a -> a.step() == Step.TERMINATE).findFirst().orElseThrow();
        assertThat(stop.figures().binding().percentUsed()).isGreaterThanOrEqualTo(95);
        assertThat(stop.why()).contains("--stop 95% reached").contains("at 97.9% used, growing");
        // The prediction only shortens the wait for SIGKILL: the limit is reached before the grace ends.
        assertThat(first.get(Step.KILL)).isEqualTo(29L);
        assertThat(all.stream().filter(a -> a.step() == Step.KILL).findFirst().orElseThrow().why())
                .contains("exhaustion predicted before the 10s grace period ends");
        // The checkpoint came forward on the forecast, but not below the floor (the warn level, 80%).
        Action checkpoint = all.stream().filter(a -> a.step() == Step.CHECKPOINT).findFirst().orElseThrow();
        assertThat(checkpoint.figures().binding().percentUsed()).isGreaterThanOrEqualTo(80);
    }

    @Test
    void plateauAt96PercentIsWarnedNeverStopped() {
        List<Action> all = new ArrayList<>();
        long plateau = (long) (CAP * 0.96);
        Map<Step, Long> first = run(new Ladder(GuardSettings.defaults()), 1800,
                t -> plateau + ((t * 7919) % 101 - 50) * MIB, all);
        assertThat(first).containsOnlyKeys(Step.WARN);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).why()).contains("no steady growth toward the limit: no action yet");
    }

    @Test
    void warnReArmsOnlyAfterDroppingByTheHysteresis() {
        List<Action> all = new ArrayList<>();
        // 81% / 78% alternate (within 5 points of 80%: no re-arm), then 70% and back to 81%.
        run(new Ladder(GuardSettings.defaults()), 40, t -> t < 20 ? (t % 2 == 0 ? 81 : 78) * CAP / 100
                : t < 30 ? 70 * CAP / 100 : 81 * CAP / 100, all);
        assertThat(all).extracting(Action::step).containsExactly(Step.WARN, Step.WARN);
        assertThat(all).extracting(a -> a.figures().tick()).containsExactly(0L, 30L);
    }

    @Test
    void pauseThenResumeWhenHeadroomComesBack() {
        List<Action> all = new ArrayList<>();
        GuardSettings pause = GuardSettings.defaults().withStopMode(StopMode.PAUSE, Duration.ofMinutes(5));
        // grows to 96% by t=60 (still growing), then the rest of the machine frees memory: 80% from t=70
        long top = (long) (CAP * 0.96);
        run(new Ladder(pause), 100, t -> t <= 60 ? 5 * GIB + t * ((top - 5 * GIB) / 60) : 80 * CAP / 100, all);
        assertThat(all).extracting(Action::step).containsSubsequence(Step.PAUSE, Step.RESUME);
        assertThat(all).extracting(Action::step).doesNotContain(Step.TERMINATE, Step.KILL);
    }

    @Test
    void pauseTimesOutIntoTerminate() {
        List<Action> all = new ArrayList<>();
        GuardSettings pause = GuardSettings.defaults().withStopMode(StopMode.PAUSE, Duration.ofSeconds(30));
        Map<Step, Long> first = run(new Ladder(pause), 400, t -> Math.min(5 * GIB + t * 20 * MIB, (long) (CAP * 0.97)), all);
        assertThat(first.get(Step.PAUSE)).isEqualTo(231L);
        assertThat(first.get(Step.TERMINATE)).isEqualTo(261L);
        assertThat(first.get(Step.KILL)).isEqualTo(271L);
    }

    @Test
    void onTheHostAProcessOutsideTheJobWithTheTopOomScoreIsNamedNotTheJobStopped() {
        List<Action> all = new ArrayList<>();
        Ladder ladder = new Ladder(GuardSettings.defaults());
        List<OomCandidate> outsideFirst = List.of(new OomCandidate(999, "java", 700, false, 9_000_000),
                new OomCandidate(42, "R", 200, true, 2_000_000));
        for (int t = 0; t <= 250; t++) {
            Limit l = Samples.limit(LimitSource.HOST, CAP, Math.min(CAP, 5 * GIB + t * 20 * MIB));
            all.addAll(ladder.decide(Samples.at(t, l, outsideFirst), t * SECOND));
        }
        assertThat(all).extracting(Action::step).containsExactly(Step.WARN, Step.CHECKPOINT, Step.WARN_OUTSIDE);
        Action named = all.get(2);
        assertThat(named.culprit()).hasValueSatisfying(c -> assertThat(c.pid()).isEqualTo(999));
        assertThat(named.why()).contains("PID 999 (java, oom_score 700)");
    }

    @Test
    void onTheHostTheJobHoldingTheTopOomScoreIsStopped() {
        List<Action> all = new ArrayList<>();
        Ladder ladder = new Ladder(GuardSettings.defaults());
        List<OomCandidate> jobFirst = List.of(new OomCandidate(42, "R", 650, true, 9_000_000),
                new OomCandidate(999, "java", 100, false, 1_000_000));
        for (int t = 0; t <= 240; t++) {
            Limit l = Samples.limit(LimitSource.HOST, CAP, 5 * GIB + t * 20 * MIB);
            all.addAll(ladder.decide(Samples.at(t, l, jobFirst), t * SECOND));
        }
        assertThat(all).extracting(Action::step).contains(Step.TERMINATE).doesNotContain(Step.WARN_OUTSIDE);
    }

    @Property(tries = 300)
    void neverStopsAJobWhoseUsageIsFlatOrFalling(
            @ForAll @IntRange(min = 0, max = 100) int startPercent,
            @ForAll @Size(min = 1, max = 300) List<@LongRange(min = 0, max = 64 * MIB) Long> drops) {
        Ladder ladder = new Ladder(GuardSettings.defaults());
        long used = CAP * startPercent / 100;
        for (int t = 0; t < drops.size(); t++) {
            used = Math.max(0, used - drops.get(t));
            for (Action a : ladder.decide(Samples.at(t, Samples.limit(LimitSource.CGROUP_V2, CAP, used)), t * SECOND)) {
                assertThat(a.step()).isIn(Step.WARN);
            }
        }
    }
}
