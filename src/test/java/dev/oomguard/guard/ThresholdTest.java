package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oomguard.sample.LimitSource;
import dev.oomguard.units.ByteSize;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdTest {
    @ParameterizedTest
    @CsvSource({"90%, 90%", "' 92.5 % ', 92.5%", "100%, 100%", "0%, 0%", "1G, 1G", "512m, 512M", "1.5G, 1536M",
        "2GiB, 2G", "100B, 100B"})
    void parsesBothForms(String text, String printed) {
        assertThat(Threshold.parse(text).toString()).isEqualTo(printed);
    }

    @ParameterizedTest
    @CsvSource({"''", "90", "101%", "-5%", "abc", "1X", "%", "0G", "ninety%"})
    void refusesWithTheTextAndTheForms(String text) {
        assertThatThrownBy(() -> Threshold.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void bareNumberMessageNamesBothForms() {
        assertThatThrownBy(() -> Threshold.parse("90")).hasMessageContaining("90%").hasMessageContaining("1G");
    }

    @Property
    void percentRoundTrips(@ForAll @DoubleRange(min = 0, max = 100) double value) {
        Threshold t = new Threshold.PercentUsed(Percent.of(value));
        assertThat(Threshold.parse(t.toString())).isEqualTo(t);
    }

    @Property
    void headroomRoundTrips(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long bytes) {
        Threshold t = new Threshold.HeadroomBelow(ByteSize.ofBytes(bytes));
        assertThat(Threshold.parse(t.toString())).isEqualTo(t);
    }

    @Test
    void percentReachedAndClearedWithHysteresis() {
        Threshold t = Threshold.parse("90%");
        assertThat(t.reached(Samples.limit(LimitSource.HOST, 100, 90))).isTrue();
        assertThat(t.reached(Samples.limit(LimitSource.HOST, 100, 89))).isFalse();
        assertThat(t.cleared(Samples.limit(LimitSource.HOST, 100, 86), Percent.of(5))).isFalse();
        assertThat(t.cleared(Samples.limit(LimitSource.HOST, 100, 84), Percent.of(5))).isTrue();
    }

    @Test
    void headroomReachedBelowTheSize() {
        Threshold t = Threshold.parse("1G");
        long g = Samples.GIB;
        assertThat(t.reached(Samples.limit(LimitSource.HOST, 10 * g, 9 * g))).isFalse(); // exactly 1G left
        assertThat(t.reached(Samples.limit(LimitSource.HOST, 10 * g, 9 * g + 1))).isTrue();
        assertThat(t.cleared(Samples.limit(LimitSource.HOST, 10 * g, 8 * g), Percent.of(5))).isTrue(); // 2G >= 1G + 0.5G
        assertThat(t.cleared(Samples.limit(LimitSource.HOST, 10 * g, 8 * g + g / 2 + 1), Percent.of(5))).isFalse();
    }

    @Test
    void settingsRefuseThresholdsOutOfOrder() {
        GuardSettings d = GuardSettings.defaults();
        assertThatThrownBy(() -> d.withThresholds(Threshold.parse("95%"), Threshold.parse("90%"), Threshold.parse("97%")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warn 95%");
        assertThatThrownBy(() -> d.withThresholds(Threshold.parse("1G"), Threshold.parse("2G"), Threshold.parse("512M")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warn 1G");
        assertThat(d.withThresholds(Threshold.parse("4G"), Threshold.parse("90%"), Threshold.parse("1G")).stop())
                .isEqualTo(Threshold.parse("1G"));
    }
}
