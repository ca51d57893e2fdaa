package dev.oomguard.guard;

import static dev.oomguard.guard.Samples.MIB;
import static dev.oomguard.guard.Samples.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomCandidate;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The ladder's event-driven side: the levels the kernel thresholds are armed at, and the fast decision. */
class LadderCrossingTest {
    private static final long CAP = 512 * MIB;

    private static Limit used(long bytes) {
        return Samples.limit(LimitSource.CGROUP_V1, CAP, bytes);
    }

    private static Ladder ladder() {
        return new Ladder(GuardSettings.defaults()); // 80% / 90% / 95%, grace 10s
    }

    @Test
    void theLevelsAreTheArmedStepsAboveTheCurrentUse() {
        Ladder l = ladder();
        assertThat(l.nextLevels(used(100 * MIB))).containsExactly(
                TriggerLevels.usedLevel(Threshold.parse("80%"), used(0).capacity()),
                TriggerLevels.usedLevel(Threshold.parse("90%"), used(0).capacity()),
                TriggerLevels.usedLevel(Threshold.parse("95%"), used(0).capacity()));
        assertThat(l.nextLevels(used(470 * MIB))).as("warn passed (it fires at the next full sample)")
                .containsExactly((long) Math.ceil(CAP * 0.95));
    }

    @Test
    void aCrossingOfTheCheckpointLevelAsksForACheckpointOnceAndDisarmsItsLevel() {
        Ladder l = ladder();
        Limit at = used(462 * MIB); // 90.2%
        List<Action> a = cross(l, Samples.at(1, used(300 * MIB)), at, OptionalDouble.empty(), SECOND);
        assertThat(a).extracting(Action::step).containsExactly(Step.CHECKPOINT);
        assertThat(a.get(0).why()).contains("--checkpoint 90% crossed while growing (kernel notification)");
        assertThat(cross(l, Samples.at(1, used(300 * MIB)), used(470 * MIB), OptionalDouble.empty(), SECOND))
                .as("fires once").isEmpty();
        assertThat(l.nextLevels(used(300 * MIB))).doesNotContain((long) Math.ceil(CAP * 0.90));
    }

    @Test
    void aCrossingBelowTheLevelDoesNothing() {
        Ladder l = ladder();
        // v1 thresholds fire both ways: on the way down the reading is below the level
        assertThat(cross(l, Samples.at(1, used(470 * MIB)), used(455 * MIB), OptionalDouble.empty(), SECOND)).isEmpty();
    }

    @Test
    void theStopLevelAloneStopsNothingButArmsAnApproachLevelAQuarterOfTheWayToExhaustion() {
        Ladder l = ladder();
        Limit past = used(490 * MIB); // 95.7%: the job may settle here
        assertThat(cross(l, Samples.at(1, used(300 * MIB)), past, OptionalDouble.empty(), SECOND))
                .extracting(Action::step).containsExactly(Step.CHECKPOINT);
        assertThat(l.stopReached(past)).isTrue();
        assertThat(l.nextLevels(past)).containsExactly(490 * MIB + 22 * MIB / 4); // 22 MiB left
    }

    @Test
    void growthBeyondTheStopLevelThatExhaustsWithinTheGracePeriodStops() {
        Ladder l = ladder();
        cross(l, Samples.at(1, used(300 * MIB)), used(490 * MIB), OptionalDouble.empty(), SECOND);
        List<Action> a = cross(l, Samples.at(1, used(300 * MIB)), used(501 * MIB),
                OptionalDouble.of(1000 * MIB), 2 * SECOND);
        assertThat(a).extracting(Action::step).containsExactly(Step.TERMINATE);
        assertThat(a.get(0).why()).contains("--stop 95% passed, still growing");
        assertThat(l.nextLevels(used(501 * MIB))).as("terminating: nothing left to arm").isEmpty();
    }

    @Test
    void slowGrowthBeyondTheStopLevelIsLeftToTheFullSamples() {
        Ladder l = ladder();
        cross(l, Samples.at(1, used(300 * MIB)), used(490 * MIB), OptionalDouble.empty(), SECOND);
        // 11 MiB left at 100 KiB/s: ~2 minutes, beyond the 10 s grace period
        assertThat(cross(l, Samples.at(1, used(300 * MIB)), used(501 * MIB),
                OptionalDouble.of(100 * 1024), 2 * SECOND)).isEmpty();
    }

    @Test
    void onTheHostAStopIsNotDecidedFastWhenTheKernelWouldKillSomeoneElse() {
        Ladder l = ladder();
        Limit host = Samples.limit(LimitSource.HOST, CAP, 490 * MIB);
        var last = Samples.at(1, Samples.limit(LimitSource.HOST, CAP, 300 * MIB),
                List.of(new OomCandidate(7, "chrome", 900, false, 400_000)));
        cross(l, last, host, OptionalDouble.empty(), SECOND);
        assertThat(cross(l, last, Samples.limit(LimitSource.HOST, CAP, 501 * MIB), OptionalDouble.of(1000 * MIB),
                2 * SECOND)).isEmpty();
    }

    @Test
    void aCrossingPastTheStopLevelOfAUsersCapStopsWhateverTheGrowth() {
        Ladder l = ladder();
        Limit past = Samples.limit(LimitSource.USER, CAP, 500 * MIB); // 97.7% of --limit 512M
        List<Action> a = cross(l, Samples.at(1, Samples.limit(LimitSource.USER, CAP, 300 * MIB)), past,
                OptionalDouble.empty(), SECOND);
        assertThat(a).extracting(Action::step).containsExactly(Step.CHECKPOINT, Step.TERMINATE);
        assertThat(a.get(1).why()).contains("--stop 95% of your --limit 512M cap passed (kernel notification)")
                .contains("a cap is enforced whatever the growth");
    }

    /** A crossing seen by the kernel's notification. */
    private static List<Action> cross(Ladder l, dev.oomguard.sample.Sample last, Limit at, OptionalDouble grown, long now) {
        return l.decideCrossing(last, at, grown, Seen.KERNEL_NOTIFICATION, now);
    }

    @Test
    void aPolledCrossingSaysSoInWordsThatMatchTheFlagFilesReason() {
        Ladder l = ladder();
        Limit below = used(300 * MIB);
        java.util.Optional<CheckpointLevel> level = l.checkpointLevel(below);
        assertThat(level).isPresent();
        List<Action> a = l.decideCrossing(Samples.at(1, below), used(level.get().usedBytes()), OptionalDouble.empty(),
                Seen.POLLED_READING, SECOND);
        assertThat(a).extracting(Action::step).containsExactly(Step.CHECKPOINT);
        assertThat(a.get(0).why()).contains("--checkpoint 90% crossed while growing (polled reading) on ")
                .isEqualTo(level.get().reason(Seen.POLLED_READING));
        assertThat(level.get().reason(Seen.KERNEL_NOTIFICATION)).contains("(kernel notification)");
    }
}
