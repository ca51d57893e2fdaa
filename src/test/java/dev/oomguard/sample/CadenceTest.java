package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CadenceTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final long MIB = 1024;
    private final Cadence cadence = Cadence.standard(Duration.ofSeconds(5));

    @Test
    void aYoungJobIsSampledAtTheFloor() {
        assertThat(cadence.next(0, -1, 2 * MIB, null)).isEqualTo(Duration.ofMillis(50));
        assertThat(cadence.next(100 * MS, 2 * MIB, 2 * MIB, Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theWaitIsAQuarterOfTheAgeUntilItReachesTheInterval() {
        assertThat(cadence.next(2 * S, MIB, MIB, Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(500));
        assertThat(cadence.next(8 * S, MIB, MIB, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(cadence.next(20 * S, MIB, MIB, Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(5));
        assertThat(cadence.next(3600 * S, MIB, MIB, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aFastMoveShortensTheWaitAndItBacksOffAtRest() {
        Duration w = cadence.next(600 * S, 100 * MIB, 140 * MIB, Duration.ofSeconds(5));
        assertThat(w).isEqualTo(Duration.ofMillis(250));
        w = cadence.next(601 * S, 140 * MIB, 141 * MIB, w);
        assertThat(w).isEqualTo(Duration.ofMillis(500));
        w = cadence.next(602 * S, 141 * MIB, 141 * MIB, w);
        assertThat(w).isEqualTo(Duration.ofSeconds(1));
        w = cadence.next(603 * S, 141 * MIB, 141 * MIB, w);
        w = cadence.next(605 * S, 141 * MIB, 141 * MIB, w);
        assertThat(w).isEqualTo(Duration.ofSeconds(4));
        w = cadence.next(609 * S, 141 * MIB, 141 * MIB, w);
        assertThat(w).as("back to the interval at rest").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aMoveIsFastWhenItIsBothLargeAndAShareOfTheTree() {
        assertThat(Cadence.fastMove(-1, 500 * MIB)).as("no sample before").isFalse();
        assertThat(Cadence.fastMove(10 * MIB, 20 * MIB)).isTrue();
        assertThat(Cadence.fastMove(20 * MIB, 10 * MIB)).as("shrinking counts too").isTrue();
        assertThat(Cadence.fastMove(1 * MIB, 6 * MIB)).as("under 8 MiB").isFalse();
        assertThat(Cadence.fastMove(10_240 * MIB, 10_300 * MIB)).as("60 MiB of 10 GiB is not 1/8").isFalse();
    }

    @Test
    void neverLongerThanTheIntervalNorShorterThanTheFloor() {
        Cadence fast = Cadence.standard(Duration.ofMillis(20));
        assertThat(fast.next(0, -1, MIB, null)).isEqualTo(Duration.ofMillis(20));
        assertThat(fast.next(100 * S, MIB, 900 * MIB, Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(20));
        for (long age = 0; age < 100 * S; age += 333 * MS) {
            Duration w = cadence.next(age, MIB, (age / S) * 10 * MIB, Duration.ofMillis(50));
            assertThat(w).isBetween(Duration.ofMillis(50), Duration.ofSeconds(5));
        }
    }

    @Test
    void aJobOfFourSecondsGetsADozenSamplesOrMoreAndAnHourAtRestTheUsualNumber() {
        assertThat(samplesUntil(4 * S)).isGreaterThanOrEqualTo(12);
        long hour = samplesUntil(3600 * S);
        assertThat(hour).as("an hour at 5 s is 720 ticks; the young job's extra ones are a few dozen")
                .isBetween(720L, 720L + 40);
    }

    private long samplesUntil(long endNanos) {
        long t = 0;
        long n = 0;
        Duration last = null;
        while (t <= endNanos) {
            n++;
            last = cadence.next(t, 10 * MIB, 10 * MIB, last);
            t += last.toNanos();
        }
        return n;
    }
}
