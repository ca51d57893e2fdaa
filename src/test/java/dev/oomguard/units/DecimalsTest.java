package dev.oomguard.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decimals.fixed writes what String.format's "%.Nf" writes, for every double. */
class DecimalsTest {
    @Property(tries = 3000)
    void anyDoubleAsFormatWritesIt(@ForAll double x, @ForAll @IntRange(min = 0, max = 9) int places) {
        assertThat(Decimals.fixed(x, places)).isEqualTo(String.format(Locale.ROOT, "%." + places + "f", x));
    }

    @Property(tries = 3000)
    void percentagesAsFormatWritesThem(@ForAll @DoubleRange(min = -1, max = 200) double x,
            @ForAll @IntRange(min = 0, max = 2) int places) {
        assertThat(Decimals.fixed(x, places)).isEqualTo(String.format(Locale.ROOT, "%." + places + "f", x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 2.5, -2.5, 99.95, 99.949999, 1.8, 1e-7, 1e21, 123456789.987,
        -0.04, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void edgesAsFormatWritesThem(double x) {
        for (int places = 0; places <= 3; places++) {
            assertThat(Decimals.fixed(x, places)).as(x + " with " + places).isEqualTo(
                    String.format(Locale.ROOT, "%." + places + "f", x));
        }
    }
}
