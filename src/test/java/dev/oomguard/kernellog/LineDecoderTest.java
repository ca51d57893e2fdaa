package dev.oomguard.kernellog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDecoderTest {
    private static List<LogLine> decode(String... raw) {
        LineDecoder d = new LineDecoder(ZoneOffset.UTC, 2026);
        List<LogLine> out = new ArrayList<>();
        for (String r : raw) {
            d.decode(r, out::add);
        }
        return out;
    }

    @Test
    void dmesgStampAndCallerAreRemovedTraceIndentKept() {
        List<LogLine> l = decode("[  907.013140] [  T17279] python3 invoked oom-killer: x", "[  907.013356]  dump_stack+0x5");
        assertThat(l.get(0).text()).isEqualTo("python3 invoked oom-killer: x");
        assertThat(l.get(0).monoMicros()).isEqualTo(907013140L);
        assertThat(l.get(1).text()).isEqualTo(" dump_stack+0x5");
    }

    @Test
    void journalctlShortMonotonicAndBareKernelTagAreStripped() {
        List<LogLine> l = decode("[  907.013140] myhost kernel: [  17279]     0 17279    19855 python3",
                "kernel: Killed process 1 (x)", "[    5.000000] usb 1-1: kernel: not a tag here");
        assertThat(l.get(0).text()).isEqualTo("[  17279]     0 17279    19855 python3");
        assertThat(l.get(1).text()).isEqualTo("Killed process 1 (x)");
        assertThat(l.get(2).text()).isEqualTo("usb 1-1: kernel: not a tag here");
    }

    @Test
    void dmesgTIsWallButNotExact() {
        LogLine l = decode("[Thu May 14 23:17:24 2020] Out of memory: x").get(0);
        assertThat(l.wallTime()).isEqualTo(Instant.parse("2020-05-14T23:17:24Z"));
        assertThat(l.wallExact()).isFalse();
        assertThat(l.text()).isEqualTo("Out of memory: x");
    }

    @Test
    void syslogWithAndWithoutHostAndUptimeAnd012() {
        List<LogLine> l = decode("Jan  5 15:19:27 kernel: [ 5864.708440] memorymonster invoked oom-killer: a",
                "Sep 29 08:12:34 host kernel: a:1#012 b:2",
                "2026-11-25T10:00:00.5+01:00 host kernel: Killed process 1 (x)");
        assertThat(l.get(0).text()).isEqualTo("memorymonster invoked oom-killer: a");
        assertThat(l.get(0).wallTime()).isEqualTo(Instant.parse("2026-01-05T15:19:27Z"));
        assertThat(l.get(0).monoMicros()).isEqualTo(5864708440L);
        assertThat(l.subList(1, 3)).extracting(LogLine::text).containsExactly("a:1", " b:2");
        assertThat(l.get(3).wallTime()).isEqualTo(Instant.parse("2026-11-25T09:00:00.5Z"));
    }

    @Test
    void syslogStampsAfterNowBelongToTheYearBefore() {
        LineDecoder d = new LineDecoder(ZoneOffset.UTC, 2026, java.time.LocalDateTime.parse("2026-01-02T08:00:00"));
        List<LogLine> out = new ArrayList<>();
        d.decode("Dec 31 23:59:59 h kernel: a", out::add);
        d.decode("Jan  2 07:00:00 h kernel: b", out::add);
        assertThat(out.get(0).wallTime()).isEqualTo(Instant.parse("2025-12-31T23:59:59Z"));
        assertThat(out.get(1).wallTime()).isEqualTo(Instant.parse("2026-01-02T07:00:00Z"));
    }

    @Test
    void kmsgEscapesContinuationAndDictionary() {
        List<LogLine> l = decode("4,12,3000,-,caller=T5;a\\x0a b\\x5cc", " SUBSYSTEM=usb", "6,13,4000,c;plain");
        assertThat(l).extracting(LogLine::text).containsExactly("a", " b\\c", "plain");
        assertThat(l.get(0).seq()).isEqualTo(12);
        assertThat(l.get(2).monoMicros()).isEqualTo(4000);
    }

    @Test
    void journaldByteArrayMessageAndGarbageJson() {
        List<LogLine> l = decode("{\"MESSAGE\":[104,105],\"__REALTIME_TIMESTAMP\":\"1000000\"}", "{\"MESSAGE\": broken");
        assertThat(l.get(0).text()).isEqualTo("hi");
        assertThat(l.get(0).wallTime()).isEqualTo(Instant.ofEpochSecond(1));
        assertThat(l.get(1).text()).isEqualTo("{\"MESSAGE\": broken");
    }
}
