package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PidFaultsTest {
    @Test
    void readsTheFaultCountersOfARealThrashingProcess() {
        assertThat(PidFaults.parse(Fixtures.text("thrashing-6.18/stat_1"), "stat_1"))
                .isEqualTo(new PidFaults(5156, 10853, 32));
        assertThat(PidFaults.parse(Fixtures.text("thrashing-6.18/stat_2"), "stat_2"))
                .isEqualTo(new PidFaults(5156, 27999, 97));
        assertThat(PidFaults.parse(Fixtures.text("host-6.18/self_stat"), "self_stat"))
                .isEqualTo(new PidFaults(3934, 2854, 1));
    }

    @Test
    void aHostileNameCannotShiftTheFields() {
        String stat = "77 (x) R 1 1 1 0 -1 4194304 999999 0 999999 0) S 1 1 1 0 -1 4194304 12 0 3 0 5 3 5 2 20 0 1 0 33231"
                + " 16961536 3358 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0\n";
        assertThat(PidFaults.parse(stat, "stat")).isEqualTo(new PidFaults(77, 12, 3));
    }

    @Test
    void malformedTextNamesTheFile() {
        assertThatThrownBy(() -> PidFaults.parse("12 (sh) S 1 2", "/proc/12/stat"))
                .hasMessageContaining("/proc/12/stat").hasMessageContaining("expected at least 12 fields");
        assertThatThrownBy(() -> PidFaults.parse("12 (sh) S 1 2 3 4 5 6 x 0 y 0", "/proc/12/stat"))
                .hasMessageContaining("not a number");
    }

    @Test
    void aCgroupsPressureFileHasTheHostsFormat() {
        MemoryPressure p = MemoryPressure.parse(Fixtures.text("thrashing-6.18/cgroup_memory.pressure_2"), "memory.pressure");
        assertThat(p.fullTotalMicros()).isEqualTo(24717478);
        assertThat(p.someTotalMicros()).as("one task: some and full are the same").isEqualTo(24717478);
        assertThat(p.fullAvg10()).isEqualTo(28.64);
    }
}
