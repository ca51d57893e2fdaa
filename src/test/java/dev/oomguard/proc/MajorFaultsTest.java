package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The major-fault counter of /proc/PID/stat and a cgroup's memory.pressure, from a real thrashing run. */
class MajorFaultsTest {
    @Test
    void readsTheMajorFaultsOfARealThrashingProcess() {
        assertThat(PidStat.parse(Fixtures.text("thrashing-6.18/stat_1"), "stat_1").majorFaults()).isEqualTo(32);
        assertThat(PidStat.parse(Fixtures.text("thrashing-6.18/stat_2"), "stat_2").majorFaults()).isEqualTo(97);
        assertThat(PidStat.parse(Fixtures.text("host-6.18/self_stat"), "self_stat").majorFaults()).isEqualTo(1);
    }

    @Test
    void aHostileNameCannotShiftTheFields() {
        String stat = "77 (x) R 1 1 1 0 -1 4194304 999999 0 999999 0) S 1 1 1 0 -1 4194304 12 0 3 0 5 3 5 2 20 0 1 0 33231"
                + " 16961536 3358 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0\n";
        PidStat s = PidStat.parse(stat, "stat");
        assertThat(s.majorFaults()).isEqualTo(3);
        assertThat(s.startTimeTicks()).isEqualTo(33231);
    }

    @Test
    void aFaultCounterThatIsNotANumberNamesTheFile() {
        String stat = "12 (sh) S 1 2 3 4 5 6 7 8 x 0 5 3 5 2 20 0 1 0 33231 16961536 3358 1 1 1\n";
        assertThatThrownBy(() -> PidStat.parse(stat, "/proc/12/stat"))
                .hasMessageContaining("/proc/12/stat").hasMessageContaining("not a number");
    }

    @Test
    void aCgroupsPressureFileHasTheHostsFormat() {
        MemoryPressure p = MemoryPressure.parse(Fixtures.text("thrashing-6.18/cgroup_memory.pressure_2"), "memory.pressure");
        assertThat(p.fullTotalMicros()).isEqualTo(24717478);
        assertThat(p.someTotalMicros()).as("one task: some and full are the same").isEqualTo(24717478);
        assertThat(p.fullAvg10()).isEqualTo(28.64);
    }
}
