package dev.oomguard.kernellog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** No input makes the parser throw or lose what a report still contains. */
class ParserRobustnessTest {
    private static final String SEED = Fixtures.text("seed-000_c4b2ae9856aa1dc6.txt");
    private static final List<String> FIXTURES = List.of("01_3.13_global_meminfo.txt", "02_3.13_memcg_v1.txt",
            "04_4.18-el8_global_meminfo.txt", "05_5.10-debian11_global_meminfo_reaper.txt",
            "06_5.4-ubuntu20.04_global_pagefault_dmesgT_reaper.txt", "09_2.6.32-el6_memcg_docker.txt",
            "linux-6.18-memcg-v1-devkmsg-raw.txt", "linux-6.18-memcg-v1-slurm-srun.txt",
            "seed-000_c4b2ae9856aa1dc6.txt");
    /** Fragments of report lines, so random lines often look almost like the real thing. */
    private static final List<String> PIECES = List.of("invoked oom-killer: ", "gfp_mask=0x", "(GFP_KERNEL)",
            ", order=", "oom_score_adj=", "Killed process ", "Kill process ", " score ", " or sacrifice child",
            "[ pid ]   uid  tgid total_vm      rss swapents oom_score_adj name", "[  123]", "memory: usage ",
            "kB, limit ", "kB, failcnt ", "Memory cgroup stats for /a:", "Mem-Info:", "Free swap  = ", "Total swap = ",
            " pages RAM", "oom-kill:constraint=", ",oom_memcg=", "oom_reaper: reaped process ", "Task in ",
            " killed as a result of limit of ", "Tasks in /x are going to be killed due to memory.oom.group set",
            "callbacks suppressed", "(", ")", ":", ",", " ", "-", "#012", "\\x0a", "[   12.345678] ", "{\"MESSAGE\":\"",
            "4,5,6,-;", "Jan  1 00:00:00 h kernel: ", "999999999999999999999999", "\u0000", "\t", "é");

    private static ParsedLog parse(Reader in) {
        try {
            return new KernelLogReader(ZoneOffset.UTC, 2026).read(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<String> reportishLine() {
        return Arbitraries.oneOf(Arbitraries.of(PIECES), Arbitraries.strings().ofMaxLength(12),
                Arbitraries.integers().between(-5, 99999).map(String::valueOf))
                .list().ofMaxSize(25).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<List<String>> reportishLines() {
        return reportishLine().list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void randomLinesNeverThrow(@ForAll("reportishLines") List<String> lines) {
        ParsedLog log = parse(new StringReader(String.join("\n", lines)));
        assertThat(log.reports()).allSatisfy(r -> assertThat(r.missing()).isNotNull());
    }

    @Property(tries = 200)
    void truncatedFixturesKeepWhatIsThere(@ForAll @IntRange(min = 0, max = 8) int which,
            @ForAll @IntRange(min = 0, max = 1000) int startPermille, @ForAll @IntRange(min = 0, max = 1000) int endPermille) {
        String text = Fixtures.text(FIXTURES.get(which));
        int a = text.length() * Math.min(startPermille, endPermille) / 1000;
        int b = text.length() * Math.max(startPermille, endPermille) / 1000;
        String cut = text.substring(a, b);
        ParsedLog log = parse(new StringReader(cut));
        // A kill line that survived whole is always found, with its pid.
        for (String line : cut.split("\n")) {
            int i = line.indexOf("Killed process ");
            if (i >= 0 && line.contains("kB") && cut.indexOf(line) > 0 && cut.endsWith(line) == false) {
                String pid = line.substring(i + 15).split("[ ,]")[0];
                assertThat(log.reports()).anySatisfy(r -> assertThat(r.killed())
                        .anySatisfy(k -> assertThat(String.valueOf(k.pid())).isEqualTo(pid)));
            }
        }
    }

    @Property(tries = 100)
    void interleavedUnrelatedLinesDoNotChangeTheSeed(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 200) Integer> at) {
        List<String> lines = new ArrayList<>(Arrays.asList(SEED.split("\n")));
        String[] noise = {"[84123.043600] [UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40",
            "[84123.043601] EXT4-fs (xvda1): re-mounted. Opts: (null)", "[84123.043602] audit: type=1400 pid=77 comm=\"x\"",
            "Sep 21 08:30:00 host systemd[1]: Started Session 12 of user ubuntu.", "random words here"};
        for (int i = 0; i < at.size(); i++) {
            int pos = Math.min(lines.size(), at.get(i) % (lines.size() + 1));
            lines.add(pos, noise[i % noise.length]);
        }
        ParsedLog log = parse(new StringReader(String.join("\n", lines)));
        assertThat(log.reports()).hasSize(1);
        OomReport r = log.reports().get(0);
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(3026);
        assertThat(r.victim().orElseThrow().anonRssKiB()).isEqualTo(8590380L);
        assertThat(r.tasks().stream().filter(t -> t.name().equals("R"))).hasSize(8);
        assertThat(r.memInfo().totalSwapKiB()).isEqualTo(4194300L);
    }

    @Property(tries = 100)
    void binaryGarbageNeverThrows(@ForAll @Size(max = 20000) byte[] bytes) throws IOException {
        parse(StreamSource.decoded(new ByteArrayInputStream(bytes)));
    }

    @Example
    void megabyteLinesNeverThrowNorHang() {
        String mb = "x".repeat(1 << 20);
        String hostile = "a: Kill process 1 (".repeat(60000) + ") score 1";
        String colons = ": ".repeat(500000) + "Killed process 1 (x)";
        String cpusets = "x cpuset=/ mems_allowed=0 ".repeat(40000);
        String text = String.join("\n", "[ 1.0] x invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0", mb,
                hostile, cpusets, colons, "{\"MESSAGE\":\"" + mb + "\"}", "4,1,1,-;" + "\\x0a".repeat(200000));
        ParsedLog log = parse(new StringReader(text));
        assertThat(log.reports()).isNotEmpty();
        OomReportParser direct = new OomReportParser();
        direct.accept(LogLine.of("x invoked oom-killer: gfp_mask=0x0(), order=0"));
        direct.accept(LogLine.of(cpusets));
        direct.accept(LogLine.of(hostile));
        direct.accept(LogLine.of(colons));
        assertThat(direct.finish().reports()).isNotEmpty();
    }
}
