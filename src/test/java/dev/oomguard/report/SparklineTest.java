package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SparklineTest {
    @Test
    void aRisingSeriesRisesAndThePeakIsTheFullBlock() {
        Sparkline s = new Sparkline(8);
        for (int i = 1; i <= 8; i++) {
            s.add(i * 100L);
        }
        assertThat(s.render(true)).isEqualTo("\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588");
        assertThat(s.render(false)).isEqualTo("_.-=+*#@");
    }

    @Test
    void aLongRunIsFoldedIntoTheWidthKeepingItsPeak() {
        Sparkline s = new Sparkline(10);
        for (int i = 0; i < 100_000; i++) {
            s.add(i == 31_337 ? 1_000_000 : 10);
        }
        String line = s.render(true);
        assertThat(line.length()).isBetween(5, 10);
        assertThat(line).contains("\u2588");
    }

    @Property
    void neverWiderThanAskedAndNeverEmptyOnceFed(@ForAll @IntRange(min = 2, max = 60) int width,
            @ForAll @IntRange(min = 1, max = 5000) int count, @ForAll @LongRange(min = 0, max = 1L << 40) long value) {
        Sparkline s = new Sparkline(width);
        for (int i = 0; i < count; i++) {
            s.add(value + i);
        }
        assertThat(s.render(true).length()).isBetween(1, width);
    }
}
