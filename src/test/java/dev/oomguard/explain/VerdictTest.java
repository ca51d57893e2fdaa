package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names the JSON (explain --json, the run record, the summary) gives verdicts: stable. */
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
}
