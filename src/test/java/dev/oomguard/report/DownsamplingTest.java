package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DownsamplingTest {
    private static final long SECOND = 1000;
    private static final long HOUR = 3600 * SECOND;
    private final Downsampling standard = Downsampling.STANDARD;

    @Test
    void theStandardGapIsNothingForAnHourThenTenSecondsThenAMinute() {
        assertThat(standard.gapMillis(0)).isZero();
        assertThat(standard.gapMillis(HOUR - 1)).isZero();
        assertThat(standard.gapMillis(HOUR)).isEqualTo(10 * SECOND);
        assertThat(standard.gapMillis(24 * HOUR - 1)).isEqualTo(10 * SECOND);
        assertThat(standard.gapMillis(24 * HOUR)).isEqualTo(60 * SECOND);
        assertThat(standard.gapMillis(72 * HOUR)).isEqualTo(60 * SECOND);
    }

    @Test
    void theFirstSampleIsAlwaysKeptAndThenOnlyAfterTheGap() {
        assertThat(standard.keep(5 * HOUR, -1)).isTrue();
        assertThat(standard.keep(2 * HOUR + 9_999, 2 * HOUR)).isFalse();
        assertThat(standard.keep(2 * HOUR + 10_000, 2 * HOUR)).isTrue();
        assertThat(standard.keep(30 * HOUR + 59_999, 30 * HOUR)).isFalse();
        assertThat(standard.keep(30 * HOUR + 60_000, 30 * HOUR)).isTrue();
    }

    /** The figure in the class comment and docs/records.md ("Downsampling"): 7,200 + 8,280 + 2,880. */
    @Test
    void aThreeDayRunAtHalfSecondTicksKeeps18360Samples() {
        assertThat(standard.keptSamples(Duration.ofDays(3), Duration.ofMillis(500))).isEqualTo(18_360);
        assertThat(standard.keptSamples(Duration.ofHours(1).minusMillis(500), Duration.ofMillis(500))).isEqualTo(7_200);
        assertThat(Downsampling.NONE.keptSamples(Duration.ofDays(3), Duration.ofMillis(500))).isEqualTo(518_401);
    }

    @Test
    void aPolicyThatGoesBackInTimeIsRefused() {
        assertThatThrownBy(() -> new Downsampling(Duration.ofHours(2), Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Bounded whatever the interval: at most an hour of ticks, then 6 a minute to 24 h, then 1 a minute. */
    @Property(tries = 200)
    void keptSamplesAreBoundedForAnyIntervalAndLength(@ForAll @LongRange(min = 50, max = 60_000) long intervalMillis,
            @ForAll @LongRange(min = 0, max = 7 * 24) long hours) {
        Duration length = Duration.ofHours(hours);
        long kept = standard.keptSamples(length, Duration.ofMillis(intervalMillis));
        long bound = HOUR / intervalMillis + 1 + Math.min(hours, 24) * 360 + Math.max(0, hours - 24) * 60 + 1;
        assertThat(kept).isLessThanOrEqualTo(bound).isPositive();
    }

    /** Never thinner than the policy says: between two kept samples, at most the gap plus one tick. */
    @Property(tries = 100)
    void noKeptGapIsLongerThanThePolicyGapPlusOneTick(
            @ForAll @LongRange(min = 100, max = 20_000) long intervalMillis) {
        long last = -1;
        for (long t = 0; t <= 30 * HOUR; t += intervalMillis) {
            if (standard.keep(t, last)) {
                if (last >= 0) {
                    assertThat(t - last).isLessThanOrEqualTo(Math.max(standard.gapMillis(t), intervalMillis)
                            + intervalMillis);
                }
                last = t;
            }
        }
    }
}
