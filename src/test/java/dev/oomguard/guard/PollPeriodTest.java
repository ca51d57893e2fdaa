package dev.oomguard.guard;

import static dev.oomguard.guard.Samples.GIB;
import static dev.oomguard.guard.Samples.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PollPeriodTest {
    private final PollPeriod p = PollPeriod.standard(Duration.ofMillis(500));

    @Test
    void farFromTheNextLevelItWaitsTheLongest() {
        assertThat(p.next(8 * GIB, Double.NaN)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.next(Long.MAX_VALUE, 0)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void nearItWaitsHalfTheTimeTheGapLastsAtFullSpeed() {
        // 64 MiB at 2 GiB/s last 31.25 ms
        assertThat(p.next(64 * MIB, Double.NaN)).isEqualTo(Duration.ofNanos(15_625_000));
        assertThat(p.next(MIB, Double.NaN)).isEqualTo(Duration.ofMillis(2));
        assertThat(p.next(0, Double.NaN)).isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void aFasterMeasuredGrowthShortensTheWait() {
        assertThat(p.next(64 * MIB, 8.0 * GIB)).isLessThan(p.next(64 * MIB, Double.NaN));
        assertThat(p.next(64 * MIB, -5.0 * GIB)).as("shrinking counts as the assumed rate").isEqualTo(p.next(64 * MIB, Double.NaN));
    }

    @Property
    void itStaysWithinItsBoundsAndShrinksWithTheGap(@ForAll @LongRange(min = -1, max = 1L << 40) long gap) {
        Duration d = p.next(gap, Double.NaN);
        assertThat(d).isBetween(Duration.ofMillis(2), Duration.ofMillis(500));
        assertThat(p.next(gap / 2, Double.NaN)).isLessThanOrEqualTo(d);
    }
}
