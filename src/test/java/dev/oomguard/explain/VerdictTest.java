package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.JobPeak;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names the JSON (explain --json, the run record, the summary) gives verdicts and peak bases: stable. */
class VerdictTest {
    @ParameterizedTest
    @CsvSource({
        "MACHINE_OOM, machine_oom", "CGROUP_LIMIT, cgroup_limit", "CPUSET_CONSTRAINT, cpuset_constraint",
        "MEMPOLICY_CONSTRAINT, mempolicy_constraint", "KERNEL_OOM, kernel_oom", "OOMGUARD_STOP, oomguard_stop",
        "USERSPACE_OOM_KILLER, userspace_oom_killer", "SIGNAL, signal", "ALLOCATION_FAILURE, allocation_failure",
        "CRASHED, crashed", "EXITED, exited", "UNKNOWN, unknown"})
    void verdictsKeepTheirJsonNames(Verdict verdict, String json) {
        assertThat(verdict.jsonName()).isEqualTo(json);
    }

    @ParameterizedTest
    @CsvSource({"PROCESS_HWM, process_hwm", "REAPED_MAXRSS, reaped_maxrss", "TREE_SUM, tree_sum",
        "GROUP_MAX, group_max"})
    void peakBasesKeepTheirJsonNames(JobPeak.Basis basis, String json) {
        assertThat(basis.jsonName()).isEqualTo(json);
    }
}
