package dev.oomguard.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0", "123, 123", "1k, 1024", "64K, 65536", "512M, 536870912", "1.5G, 1610612736",
        "2GiB, 2147483648", "4gb, 4294967296", "1T, 1099511627776", "' 3 m ', 3145728"
    })
    void parsesWhatPeopleType(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"''", "abc", "-1G", "1X", "G", "1..5G"})
    void rejectsNonsenseWithTheTextInTheMessage(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Property
    void toStringRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long bytes) {
        ByteSize size = ByteSize.ofBytes(bytes);
        assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
    }

    /** The human form is what String.format gave it before (the poller no longer pays for a Formatter). */
    @Property
    void humanFormMatchesTheFormatterItReplaces(@ForAll @LongRange(min = 1024, max = Long.MAX_VALUE) long bytes) {
        assertHumanAsFormatted(bytes);
    }

    @Property(tries = 5000)
    void humanFormMatchesTheFormatterBelowAPebibyte(@ForAll @LongRange(min = 1024, max = 1L << 50) long bytes) {
        assertHumanAsFormatted(bytes);
    }

    @Property(tries = 5000)
    void humanFormMatchesTheFormatterBelowAGibibyte(@ForAll @LongRange(min = 1024, max = 1L << 30) long bytes) {
        assertHumanAsFormatted(bytes);
    }

    @Test
    void humanFormMatchesTheFormatterOnRoundingEdges() {
        for (int shift = 10; shift <= 50; shift += 10) {
            for (long whole = 1; whole < 1024; whole += whole < 110 ? 1 : 97) {
                for (long tenth = 0; tenth < 20; tenth++) {
                    long edge = (whole << shift) + (tenth << shift) / 20; // x.x5 and x.x0, rounded down
                    for (long d = -2; d <= 2; d++) {
                        assertHumanAsFormatted(Math.max(1024, edge + d));
                    }
                }
            }
        }
    }

    private static void assertHumanAsFormatted(long bytes) {
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < "KMGTPE".length() - 1) {
            value /= 1024;
            unit++;
        }
        String number = String.format(java.util.Locale.ROOT, value >= 100 || value == Math.rint(value) ? "%.0f" : "%.1f", value);
        assertThat(ByteSize.ofBytes(bytes).human()).isEqualTo(number + " " + "KMGTPE".charAt(unit) + "iB");
    }

    @ParameterizedTest
    @CsvSource({"512, 512 B", "1536, 1.5 KiB", "8804216832, 8.2 GiB", "20401094656, 19 GiB", "1073741824, 1 GiB"})
    void humanFormIsShort(long bytes, String human) {
        assertThat(ByteSize.ofBytes(bytes).human()).isEqualTo(human);
    }
}
