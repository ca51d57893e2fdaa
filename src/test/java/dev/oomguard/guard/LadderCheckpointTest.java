package dev.oomguard.guard;

import static dev.oomguard.guard.Samples.GIB;
import static dev.oomguard.guard.Samples.MIB;
import static dev.oomguard.guard.Samples.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The ladder and the checkpoint protocol: a stop waits for a checkpoint in progress; the reserve. */
class LadderCheckpointTest {
    private static final long CAP = 10 * GIB;

    /** One step taken, at a tick, with the headroom then. */
    private record Taken(long tick, Action action) {
    }

    /** Ticks 0..n (one a second) with used(t); {@code inProgress(t)} is the checkpoint input. */
    private static List<Taken> run(Ladder ladder, int n, LongUnaryOperator used, LongPredicate inProgress) {
        List<Taken> all = new ArrayList<>();
        for (int t = 0; t <= n; t++) {
            Limit l = Samples.limit(LimitSource.CGROUP_V1, CAP, Math.min(CAP, used.applyAsLong(t)));
            for (Action a : ladder.decide(Samples.at(t, l), t * SECOND, inProgress.test(t))) {
                all.add(new Taken(t, a));
            }
        }
        return all;
    }

    private static Taken first(List<Taken> all, Step step) {
        return all.stream().filter(t -> t.action().step() == step).findFirst().orElseThrow(
                () -> new AssertionError("no " + step + " in " + all));
    }

    @Test
    void aStopWaitsForTheCheckpointInProgressAndFollowsTheAcknowledgement() {
        // 5 GiB + 20 MiB/s: --stop 95% at t=231, full at t=256 (grace 10 s: imminent from t=246)
        GuardSettings s = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(10));
        List<Taken> all = run(new Ladder(s), 250, t -> 5 * GIB + t * 20 * MIB, t -> t >= 205 && t < 238);
        Taken deferred = first(all, Step.STOP_DEFERRED);
        assertThat(deferred.tick()).isEqualTo(231L);
        assertThat(deferred.action().why()).contains("--stop 95% reached, but a checkpoint is in progress");
        Taken stop = first(all, Step.TERMINATE);
        assertThat(stop.tick()).as("the first tick after the acknowledgement").isEqualTo(238L);
        assertThat(stop.action().why()).contains("--stop 95%").contains("deferred until the checkpoint ended");
        assertThat(all).filteredOn(t -> t.action().step() == Step.STOP_DEFERRED).as("said once").hasSize(1);
    }

    @Test
    void aCheckpointThatNeverEndsIsInterruptedOnlyWhenExhaustionIsPredictedWithinTheGrace() {
        GuardSettings s = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(10));
        List<Taken> all = run(new Ladder(s), 255, t -> 5 * GIB + t * 20 * MIB, t -> t >= 205);
        Taken stop = first(all, Step.TERMINATE);
        assertThat(stop.action().figures().timeToExhaustion()).hasValueSatisfying(
                d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(10)));
        assertThat(stop.tick()).isBetween(240L, 247L);
        assertThat(stop.action().figures().binding().percentUsed()).as("at the stop level").isGreaterThanOrEqualTo(95);
        assertThat(stop.action().why()).contains("--stop 95% reached")
                .contains("a checkpoint is in progress, but there is no time left for it: exhaustion is predicted within the 10s grace period");
        assertThat(first(all, Step.STOP_DEFERRED).tick()).isLessThan(stop.tick());
    }

    @Test
    void aCheckpointAskedInTheSameTickAsTheStopDefersIt() {
        // 5 GiB + 200 MiB/s: 92.97% at t=22, 94.92% at t=23: --checkpoint 93% and --stop 94.9% in the same tick,
        // with 2.6 s left, more than the 1 s grace
        GuardSettings s = new GuardSettings(Threshold.parse("50%"), Threshold.parse("93%"), Threshold.parse("94.9%"),
                Duration.ZERO, Duration.ofSeconds(1), StopMode.TERMINATE, Duration.ofMinutes(5), Percent.of(5),
                Duration.ofMinutes(2), Duration.ofMinutes(30));
        List<Taken> all = run(new Ladder(s), 30, t -> 5 * GIB + t * 200 * MIB, t -> false);
        assertThat(first(all, Step.CHECKPOINT).tick()).isEqualTo(23L);
        assertThat(first(all, Step.STOP_DEFERRED).tick()).isEqualTo(23L);
        assertThat(first(all, Step.TERMINATE).tick()).as("no acknowledgement pending: the next tick").isEqualTo(24L);
    }

    @Test
    void withoutACheckpointInProgressTheStopIsAsBefore() {
        GuardSettings s = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(10));
        List<Taken> all = run(new Ladder(s), 250, t -> 5 * GIB + t * 20 * MIB, t -> false);
        assertThat(all).extracting(t -> t.action().step())
                .containsExactly(Step.WARN, Step.CHECKPOINT, Step.TERMINATE, Step.KILL);
        assertThat(first(all, Step.TERMINATE).tick()).isEqualTo(231L);
    }

    @Test
    void theReserveAsksForTheCheckpointWhileThatMuchHeadroomIsLeft() {
        // 20 MiB/s; reserve 2 GiB, lead 10 s: asked when headroom <= 2 GiB + 200 MiB, i.e. used >= 7.8 GiB (t=143.4),
        // with the forecast floor below that (by default it is the warn level, 80%: t=153.6)
        GuardSettings s = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(10))
                .withCheckpointReserve(ByteSize.ofGiB(2)).withForecastFloor(Optional.of(Threshold.parse("70%")));
        List<Taken> all = run(new Ladder(s), 250, t -> 5 * GIB + t * 20 * MIB, t -> false);
        Taken checkpoint = first(all, Step.CHECKPOINT);
        assertThat(checkpoint.tick()).isEqualTo(144L);
        assertThat(checkpoint.action().figures().binding().headroom().bytes()).isGreaterThanOrEqualTo(2 * GIB);
        assertThat(checkpoint.action().why()).contains("headroom above --checkpoint-reserve 2 GiB")
                .contains("within --checkpoint-lead 10s").contains("above --forecast-floor 70%");
    }

    @Test
    void theReserveIsAForecastAndWaitsForTheFloor() {
        GuardSettings s = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(10))
                .withCheckpointReserve(ByteSize.ofGiB(2));
        List<Taken> all = run(new Ladder(s), 250, t -> 5 * GIB + t * 20 * MIB, t -> false);
        Taken checkpoint = first(all, Step.CHECKPOINT);
        assertThat(checkpoint.tick()).as("80%% at t=153.6").isEqualTo(154L);
        assertThat(checkpoint.action().figures().binding().headroom().bytes()).isGreaterThanOrEqualTo(1 * GIB);
    }

    /** The lead is longer than the 10 s grace, as by default: a shorter one lets the stop come first. */
    @Property(tries = 200)
    void withAReserveTheCheckpointIsAskedBeforeTheHeadroomFallsBelowIt(
            @ForAll @IntRange(min = 1, max = 200) int mibPerSecond,
            @ForAll @IntRange(min = 0, max = 4096) int reserveMiB,
            @ForAll @IntRange(min = 11, max = 120) int leadSeconds) {
        GuardSettings s = GuardSettings.defaults().withCheckpointLead(Duration.ofSeconds(leadSeconds))
                .withThresholds(Threshold.parse("80%"), Threshold.parse("99.9%"), Threshold.parse("99.95%"))
                .withCheckpointReserve(ByteSize.ofMiB(reserveMiB))
                .withForecastFloor(Optional.of(Threshold.parse("10%"))); // a reserve up to 40% of the limit
        long start = 2 * GIB; // 8 GiB to go: the trend is confirmed long before any reserve is reached
        int n = (int) ((CAP - start) / (mibPerSecond * MIB)) + 2;
        List<Taken> all = run(new Ladder(s), n, t -> start + t * mibPerSecond * MIB, t -> false);
        Taken checkpoint = first(all, Step.CHECKPOINT);
        assertThat(checkpoint.action().figures().binding().headroom().bytes())
                .as("asked at tick %d", checkpoint.tick()).isGreaterThanOrEqualTo(reserveMiB * MIB);
    }
}
