package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.guard.JobPeak;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.Limits;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.TreeTotals;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The summary's peak and usage figures: the job's own, each labelled, never the machine's nor a clamped one. */
class RunSummaryPeaksTest {
    private static final long MIB = 1L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ProcessMemory process(int pid, long rssKiB, long hwmKiB) {
        return new ProcessMemory(new ProcessId(pid, 77), 1, "python3", rssKiB, 0, 0, 0, OptionalLong.empty(), hwmKiB);
    }

    private static Sample sample(long tick, Limit binding, ProcessMemory... tree) {
        List<ProcessMemory> t = List.of(tree);
        return new Sample(tick * 1_000_000_000L, tick, t, TreeTotals.of(t), new MemInfo(24_000_000L, 23_000_000L, 0, 0),
                List.of(binding), binding, List.of(), new OomKillCounters(OptionalLong.of(0), Map.of()), List.of());
    }

    /** The host as the issue's machine saw it: 23.5 GiB, 713 MiB of it used by everyone. */
    private static Limit host() {
        return new Limit(LimitSource.HOST, "host: RAM 23.5 GiB + swap 0 B", ByteSize.ofBytes(23_500 * MIB),
                ByteSize.ofBytes((23_500 - 713) * MIB));
    }

    private static RunSummaryText.Facts facts() {
        return new RunSummaryText.Facts("job", "exit status 0", Duration.ofSeconds(2), false, List.of(), List.of(),
                List.of(), List.of(), false);
    }

    private static String text(RunSummary s) {
        return String.join("\n", RunSummaryText.lines(facts(), s));
    }

    @Test
    void aJobThatUsedAMebibyteIsSaidToHaveUsedAboutThatNotTheHostsUse() {
        RunSummary s = new RunSummary();
        s.accept(sample(1, host(), process(10, 1_100, 1_200)));
        String t = text(s);
        assertThat(t).contains("peak memory: 1.2 MiB (the largest single process's high-water mark (VmHWM))");
        assertThat(t).contains("advice: the job peaked at 1.2 MiB,");
        assertThat(t).doesNotContain("advice: peak 713");
        assertThat(t).containsPattern("closest approach: 713 MiB of 22\\.9 GiB used host-wide \\([0-9.]+%: every process"
                + " on the machine, not the job's alone\\)");
    }

    @Test
    void aBlockHeldBetweenSamplesIsInThePeak() {
        // One sample after the block was freed: 30.6 MiB resident, the mark at 108 MiB.
        RunSummary s = new RunSummary();
        s.accept(sample(1, host(), process(10, 31_334, 110_444)));
        assertThat(s.peak().kib()).isEqualTo(110_444);
        assertThat(text(s)).contains("peak memory: 108 MiB", "sum of current RSS at the fullest sample: 30.6 MiB");
    }

    @Test
    void theExitFigureAndTheGroupsMaximumRaiseThePeak() {
        RunSummary s = new RunSummary();
        s.accept(sample(1, host(), process(10, 20_000, 20_000)));
        s.reapedMaxRss(110_672);
        s.groupPeak(new JobPeak.GroupPeak("/g", "memory.max_usage_in_bytes", 120 * MIB));
        assertThat(s.peak().kib()).isEqualTo(120 * 1024);
        assertThat(text(s)).contains("peak memory: 120 MiB (the charged maximum of the job's own memory cgroup)",
                "largest high-water mark at exit: 108 MiB", "group's charged maximum: 120 MiB");
    }

    @Test
    void aCapsFigureIsNotClampedAtTheCap() {
        ByteSize cap = ByteSize.ofBytes(50 * MIB);
        RunSummary s = new RunSummary();
        s.accept(sample(1, Limits.user(cap, TreeTotals.of(List.of(process(10, 60 * 1024, 60 * 1024)))),
                process(10, 60 * 1024, 60 * 1024)));
        ProcessMemory at93 = process(10, 93 * 1024, 93 * 1024);
        s.accept(sample(2, Limits.user(cap, TreeTotals.of(List.of(at93))), at93));
        String t = text(s);
        assertThat(t).contains("closest approach: 93 MiB of 50 MiB (186.0%: the tree's RSS + swap, as the cap counts it),"
                + " 43 MiB over the cap");
        assertThat(t).contains("advice: the job peaked at 93 MiB, 186% of the 50 MiB cap (--limit) — over it");
        assertThat(t).doesNotContain("peak 50 MiB");
    }

    @Test
    void aGroupsWorkingSetIsSaidToBeOne() {
        Limit group = new Limit(LimitSource.CGROUP_V1, "cgroup v1 /oomguard-1: memory.limit_in_bytes 64 MiB + swap 0 B",
                ByteSize.ofBytes(64 * MIB), ByteSize.ofBytes(58 * MIB));
        RunSummary s = new RunSummary();
        s.accept(sample(1, group, process(10, 67 * 1024, 68 * 1024)));
        assertThat(text(s)).contains("closest approach: 6 MiB of 64 MiB used (9.4%: the group's working set,"
                + " its usage less the file cache the kernel reclaims before killing)",
                "RSS counts mapped files (libraries, cache) and shared pages once per process");
    }

    @Test
    void aJobNeverMeasuredIsSaidToBeSoWithNoAdvice() {
        RunSummary s = new RunSummary();
        s.accept(sample(1, host()));
        s.unmeasuredBoundKiB(55_000);
        String t = text(s);
        assertThat(t).contains("peak memory: not measured", "at most 53.7 MiB");
        assertThat(t).doesNotContain("advice:");
    }

    @Test
    void theJsonCarriesThePeakAndWhatItIs() throws Exception {
        RunSummary s = new RunSummary();
        s.accept(sample(1, host(), process(10, 31_334, 110_444)));
        JsonNode j = MAPPER.readTree(SummaryJson.render(SummaryJson.build(facts(), s,
                new RunEnd(10, 0, null, 0, "exit status 0", false), List.of())));
        assertThat(j.path("peak").path("kib").asLong()).isEqualTo(110_444);
        assertThat(j.path("peak").path("basis").asText()).isEqualTo("process_hwm");
        assertThat(j.path("peak").path("tree_sum_kib").asLong()).isEqualTo(31_334);
        assertThat(j.path("peak").path("process_hwm_pid").asInt()).isEqualTo(10);
        assertThat(j.path("peak").path("group_max_kib").isNull()).isTrue();
        assertThat(j.path("peak").path("lower_bound_only").asBoolean()).isFalse();
        assertThat(j.path("advice").asText()).startsWith("the job peaked at 108 MiB");
    }

    /** The names the summary's JSON gives the peak's bases: stable. */
    @ParameterizedTest
    @CsvSource({"PROCESS_HWM, process_hwm", "REAPED_MAXRSS, reaped_maxrss", "TREE_SUM, tree_sum",
        "GROUP_MAX, group_max"})
    void peakBasesKeepTheirJsonNames(JobPeak.Basis basis, String json) {
        JobPeak only = new JobPeak(
                basis == JobPeak.Basis.TREE_SUM ? Optional.of(new RunSummary.TreePeak(1, 100, 0, 1)) : Optional.empty(),
                basis == JobPeak.Basis.PROCESS_HWM
                        ? Optional.of(new JobPeak.HighWater(new ProcessId(10, 77), "python3", 100, 1)) : Optional.empty(),
                basis == JobPeak.Basis.REAPED_MAXRSS ? OptionalLong.of(100) : OptionalLong.empty(),
                basis == JobPeak.Basis.GROUP_MAX
                        ? Optional.of(new JobPeak.GroupPeak("/sys/fs/cgroup/job", "memory.peak", 102_400)) : Optional.empty());
        assertThat(SummaryJson.peak(only).path("basis").asText()).isEqualTo(json);
    }
}
