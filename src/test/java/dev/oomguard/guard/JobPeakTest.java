package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.sample.ProcessId;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JobPeakTest {
    private static final long MIB = 1024;

    private static JobPeak peak(long treeKiB, long hwmKiB, long reapedKiB, long groupBytes, long hwmTick) {
        return new JobPeak(
                treeKiB < 0 ? Optional.empty() : Optional.of(new RunSummary.TreePeak(2, treeKiB, 0, 3)),
                hwmKiB < 0 ? Optional.empty()
                        : Optional.of(new JobPeak.HighWater(new ProcessId(42, 7), "python3", hwmKiB, hwmTick)),
                reapedKiB < 0 ? OptionalLong.empty() : OptionalLong.of(reapedKiB),
                groupBytes < 0 ? Optional.empty()
                        : Optional.of(new JobPeak.GroupPeak("/sys/fs/cgroup/memory/oomguard-1", "memory.max_usage_in_bytes",
                                groupBytes)));
    }

    @Test
    void thePeakIsNeverBelowAnyHighWaterMark() {
        // The job: one sample at 30.6 MiB, the kernel's marks at 108 MiB.
        JobPeak p = peak(31_334, 110_444, 110_672, -1, 2);
        assertThat(p.kib()).isEqualTo(110_672);
        assertThat(p.basis()).hasValue(JobPeak.Basis.REAPED_MAXRSS);
        assertThat(p.headline()).startsWith("108 MiB (the largest single process's high-water mark at exit");
    }

    @Test
    void theGroupsMaximumCountsWhenItIsLargest() {
        JobPeak p = peak(68_000, 68_000, -1, 80L << 20, 5);
        assertThat(p.kib()).isEqualTo(80 * MIB);
        assertThat(p.basis()).hasValue(JobPeak.Basis.GROUP_MAX);
    }

    @Test
    void onATieTheHighWaterMarkNamesIt() {
        JobPeak p = peak(50 * MIB, 50 * MIB, -1, -1, 4);
        assertThat(p.basis()).hasValue(JobPeak.Basis.PROCESS_HWM);
    }

    @Test
    void everyFigureShownSaysWhatItIs() {
        JobPeak p = peak(67 * MIB, 68 * MIB, 69 * MIB, 70L << 20, 4);
        assertThat(p.figureLines()).hasSize(4);
        assertThat(p.figureLines().get(0)).contains("high-water mark", "VmHWM", "PID 42 (python3)");
        assertThat(p.figureLines().get(1)).contains("ru_maxrss");
        assertThat(p.figureLines().get(2)).contains("sum of current RSS", "sampled", "shared pages");
        assertThat(p.figureLines().get(3)).contains("memory.max_usage_in_bytes", "file cache");
    }

    @Test
    void onlyAFirstLookIsALowerBound() {
        JobPeak p = peak(-1, 1_500, -1, -1, 0);
        assertThat(p.lowerBoundOnly()).isTrue();
        assertThat(p.headline()).startsWith("at least 1.5 MiB");
        assertThat(p.figureLines()).isEmpty();
        assertThat(peak(1_500, 1_500, -1, -1, 0).lowerBoundOnly()).as("a sample saw the tree").isFalse();
    }

    @Test
    void nothingKnownIsNoPeak() {
        JobPeak p = peak(-1, -1, -1, -1, 0);
        assertThat(p.known()).isFalse();
        assertThat(p.kib()).isZero();
    }
}
