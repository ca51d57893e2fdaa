package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.sample.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MemInfoScanTest {
    private static long used(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return MemInfoScan.usedBytes(b, b.length);
    }

    @Test
    void theHostsUseFromARealMeminfoIsTheSampleFigure() throws Exception {
        for (String f : new String[] {"fixtures/host-6.18/meminfo", "fixtures/cgroup-v1-memsw/proc/meminfo",
                "fixtures/cgroup-v2-nested/proc/meminfo"}) {
            String text = Files.readString(Path.of("src/test/resources", f));
            long expected = Limits.host(MemInfo.parse(text, f)).used().bytes();
            assertThat(used(text)).as(f).isEqualTo(expected);
        }
    }

    @Property
    void anyFiguresGiveTotalPlusSwapMinusAvailableAndSwapFree(@ForAll @LongRange(min = 1, max = 1L << 40) long total,
            @ForAll @LongRange(min = 0, max = 1L << 40) long available, @ForAll @LongRange(min = 0, max = 1L << 36) long swap,
            @ForAll @LongRange(min = 0, max = 1L << 36) long swapFree) {
        String text = "MemTotal:       " + total + " kB\nMemFree:  1 kB\nMemAvailable:   " + available + " kB\n"
                + "SwapCached: 0 kB\nSwapTotal:      " + swap + " kB\nSwapFree:       " + swapFree + " kB\n";
        String parsedBy = "test";
        long expected = Limits.host(MemInfo.parse(text, parsedBy)).used().bytes();
        assertThat(used(text)).isEqualTo(expected);
    }

    @Test
    void aMissingFieldOrATruncatedReadIsMinusOne() {
        assertThat(used("MemTotal: 100 kB\nMemAvailable: 50 kB\nSwapTotal: 0 kB\n")).isEqualTo(-1);
        byte[] b = "MemTotal: 100 kB\nMemAvailable: 50 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(MemInfoScan.usedBytes(b, 20)).isEqualTo(-1);
        assertThat(MemInfoScan.usedBytes(b, b.length)).isEqualTo(50 * 1024);
        // A key only counts at the start of a line.
        assertThat(used("XMemTotal: 1 kB\nMemTotal: 100 kB\nMemAvailable: 50 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n"))
                .isEqualTo(50 * 1024);
    }

    @Test
    void aCgroupFileHoldsOneNumber() {
        byte[] b = "536870912\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(MemInfoScan.number(b, b.length)).isEqualTo(536870912L);
        assertThat(MemInfoScan.number("max\n".getBytes(StandardCharsets.US_ASCII), 4)).isEqualTo(-1);
        assertThat(MemInfoScan.number(new byte[0], 0)).isEqualTo(-1);
    }
}
