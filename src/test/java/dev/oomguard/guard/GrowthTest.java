package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GrowthTest {
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1L << 20;

    private static Growth window(int seconds) {
        return new Growth(seconds * S, 96);
    }

    @Test
    void tooFewPointsGiveNoRate() {
        Growth g = window(60);
        assertThat(g.bytesPerSecond()).isEmpty();
        g.add(0, 10);
        g.add(S, 20);
        assertThat(g.bytesPerSecond()).isEmpty();
        g.add(2 * S, 30);
        assertThat(g.bytesPerSecond()).hasValue(10.0);
    }

    @Test
    void linearGrowthIsExact() {
        Growth g = window(60);
        for (int t = 0; t < 100; t++) {
            g.add(t * S, 1000 * MIB + t * 5 * MIB);
        }
        assertThat(g.bytesPerSecond().getAsDouble()).isCloseTo(5.0 * MIB, within(1.0));
        assertThat(g.size()).isLessThanOrEqualTo(96);
    }

    @Test
    void oldPointsLeaveTheWindow() {
        Growth g = window(10);
        for (int t = 0; t < 50; t++) {
            g.add(t * S, t < 30 ? t * MIB : 30 * MIB); // grew, then flat for 20 s
        }
        assertThat(g.bytesPerSecond()).hasValue(0.0);
    }

    @Test
    void outliersDoNotSwingIt() {
        Growth g = window(60);
        Random r = new Random(7);
        for (int t = 0; t < 60; t++) {
            long noise = (long) (r.nextGaussian() * 2 * MIB);
            long spike = t % 13 == 0 ? 500 * MIB : 0;
            g.add(t * S, 4000 * MIB + t * MIB + noise + spike);
        }
        assertThat(g.bytesPerSecond().getAsDouble()).isCloseTo(1.0 * MIB, within(0.15 * MIB));
    }

    @Test
    void garbageCollectorSawtoothGivesTheUnderlyingTrend() {
        // A heap that climbs 20 MiB/s for 15 s, drops back by 290 MiB at each collection: a trend of
        // 20 - 290/15 = 0.67 MiB/s under a 300 MiB sawtooth. A least-squares fit on a window that
        // starts at a trough would say several MiB/s.
        Growth g = window(120);
        double trend = 20 - 290.0 / 15;
        for (int t = 0; t <= 300; t++) {
            long heap = (long) ((t % 15) * 20 * MIB);
            long floor = (long) ((t / 15) * (300 - 290) * MIB);
            g.add(t * S, 2000 * MIB + floor + heap);
        }
        double rate = g.bytesPerSecond().getAsDouble() / MIB;
        assertThat(rate).isCloseTo(trend, within(0.35));
    }

    @Property
    void neverNaNNorInfinite(@ForAll @Size(min = 0, max = 200) List<@LongRange(min = 0, max = Long.MAX_VALUE / 4) Long> values,
                             @ForAll @Size(min = 0, max = 200) List<@LongRange(min = 0, max = 5_000_000_000L) Long> gaps) {
        Growth g = new Growth(60 * S, 32);
        long t = 0;
        for (int i = 0; i < values.size(); i++) {
            t += i < gaps.size() ? gaps.get(i) : 1;
            g.add(t, values.get(i));
            g.bytesPerSecond().ifPresent(rate -> assertThat(Double.isFinite(rate)).isTrue());
        }
    }

    @Property
    void flatOrFallingNeverGrows(@ForAll @Size(min = 3, max = 120) List<@LongRange(min = 0, max = 1L << 40) Long> drops) {
        Growth g = window(60);
        long used = 1L << 44;
        for (int i = 0; i < drops.size(); i++) {
            used -= drops.get(i);
            g.add(i * S, used);
        }
        assertThat(g.bytesPerSecond().getAsDouble()).isLessThanOrEqualTo(0.0);
    }

    @Test
    void aBurstBetweenTwoSamplesIsNotASustainedTrend() {
        Growth g = window(120);
        for (int t = 0; t <= 30; t++) {
            g.add(t * S, t < 5 ? t * 2 * MIB : t < 10 ? 10 * MIB : 70 * MIB); // start-up, then 60 MiB at once, then flat
        }
        assertThat(g.bytesPerSecond().getAsDouble()).as("the rate sees the step").isPositive();
        assertThat(g.sustained(0)).isFalse();
        assertThat(g.sustained(20 * S)).isFalse();
    }

    @Test
    void aSteadyLeakIsSustainedOnceItSpansTheMinimum() {
        Growth g = window(120);
        Random r = new Random(3);
        for (int t = 0; t <= 30; t++) {
            g.add(t * S, 500 * MIB + t * 2 * MIB + (long) (r.nextGaussian() * 256 * 1024));
            assertThat(g.sustained(20 * S)).as("t=%d", t).isEqualTo(t >= 20);
        }
    }

    @Test
    void aGarbageCollectorSawtoothOverALeakIsSustained() {
        Growth g = window(120);
        for (int t = 0; t <= 300; t += 5) {
            long seconds = t;
            g.add(t * S, 4096 * MIB + seconds * 3 * MIB / 2 + (seconds % 30) * 4 * MIB); // as in SeedReplayTest
        }
        assertThat(g.sustained(20 * S)).isTrue();
    }

    @Test
    void flatOrFallingIsNeverSustained() {
        Growth g = window(60);
        for (int t = 0; t <= 60; t++) {
            g.add(t * S, 100 * MIB - t * 1024);
        }
        assertThat(g.sustained(0)).isFalse();
    }
}
