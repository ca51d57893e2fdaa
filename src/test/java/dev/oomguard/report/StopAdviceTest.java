package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Figures;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.Step;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The summary's advice says "it needed more" only when the figures show it. */
class StopAdviceTest {
    private static final long MIB = 1L << 20;

    private static RunSummaryText.Facts facts(boolean stoppedByGuard, String status) {
        return new RunSummaryText.Facts("python3 leak.py", status, Duration.ofSeconds(30), true, List.of(), List.of(),
                List.of(), List.of(), false, List.of(), stoppedByGuard);
    }

    private static String advice(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("  advice: ")).findFirst().orElseThrow();
    }

    @Test
    void aJobStoppedBeforeItRanOutIsDescribedByTheUseItReachedAndItsTrendNotAGuessAtItsNeed() {
        RunSummary s = new RunSummary();
        s.accept(RecordSamples.sample(1, 1_000_000_000L, 0, 3000 * MIB));
        s.accept(RecordSamples.sample(2, 2_000_000_000L, 0, 3900 * MIB));
        s.recordActions(List.of(new Action(Step.TERMINATE, "SIGTERM", "--stop 95% reached",
                new Figures(2, RecordSamples.cgroup(3900 * MIB), OptionalDouble.of(40 * MIB), Optional.of(Duration.ofSeconds(4))),
                Optional.empty())));
        String advice = advice(RunSummaryText.lines(facts(true, "killed by SIGTERM; stopped by oomguard"), s));
        assertThat(advice).doesNotContain("needed more").doesNotContain("give it at least")
                .contains("oomguard stopped the job at 3.8 GiB of the 4 GiB it had (cgroup v1, 95.2% used, growing 40 MiB/s)")
                .contains("what it would have needed is not known");
    }

    @Test
    void insideSlurmTheStoppedJobsAdviceNamesTheAllocationAndSbatchMem() {
        RunSummary s = new RunSummary();
        s.accept(RecordSamples.sample(1, 1_000_000_000L, 0, 3000 * MIB));
        s.accept(RecordSamples.sample(2, 2_000_000_000L, 0, 3900 * MIB));
        dev.oomguard.sample.Limit slurm = new dev.oomguard.sample.Limit(dev.oomguard.sample.LimitSource.CGROUP_V1,
                "Slurm job 7's memory allocation (--mem 4G): cgroup v1 /slurm/uid_0/job_7: memory.limit_in_bytes 4 GiB",
                dev.oomguard.units.ByteSize.ofBytes(4096 * MIB), dev.oomguard.units.ByteSize.ofBytes(196 * MIB));
        s.recordActions(List.of(new Action(Step.TERMINATE, "SIGTERM", "--stop 95% reached",
                new Figures(2, slurm, OptionalDouble.of(40 * MIB), Optional.of(Duration.ofSeconds(4))), Optional.empty())));
        String advice = advice(RunSummaryText.lines(facts(true, "killed by SIGTERM; stopped by oomguard"), s));
        assertThat(advice).doesNotContain("needed more")
                .contains("at 3.8 GiB of the 4 GiB it had (Slurm job 7's memory allocation (--mem 4G), 95.2% used")
                .contains("give it more than 4 GiB (sbatch --mem= above 4G)");
    }

    @Test
    void aJobTheKernelKilledNeededMore() {
        RunSummary s = new RunSummary();
        s.accept(RecordSamples.sample(1, 1_000_000_000L, 0, 3000 * MIB));
        s.accept(RecordSamples.sample(2, 2_000_000_000L, 0, 4096 * MIB));
        String advice = advice(RunSummaryText.lines(facts(false, "killed by SIGKILL (the kernel's OOM killer)"), s));
        assertThat(advice).startsWith("  advice: the job needed more than the 4 GiB it had (cgroup v1); give it at least 6 GiB");
    }
}
