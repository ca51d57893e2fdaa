package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The kernel's high-water marks as oomguard reads them: VmHWM, ru_maxrss, a group's maximum. */
class PeakFiguresTest {
    @Test
    void statusKeepsTheHighWaterMarkAfterTheMemoryIsFreed() {
        // python3 touched 100 MiB and freed it (fixtures/peaks/NOTE.md): the mark keeps the peak.
        PidStatus s = PidStatus.parse(Fixtures.text("peaks/status_after_free"), "status");
        assertThat(s.vmHwmKiB()).isEqualTo(110444);
        assertThat(s.rssKiB()).isEqualTo(8192);
        assertThat(s.vmHwmKiB()).isGreaterThan(100 * 1024);
    }

    @Test
    void theHighWaterMarkOfALiveProcessIsAtLeastItsResidentMemory() {
        PidStatus s = PidStatus.parse(Fixtures.text("host-6.18/self_status"), "status");
        assertThat(s.vmHwmKiB()).isEqualTo(13600).isGreaterThanOrEqualTo(s.rssKiB());
    }

    @Test
    void aStatusWithoutTheLineHasNoMark() {
        PidStatus s = PidStatus.parse("Name:\tx\nState:\tS (sleeping)\nVmSize:\t 100 kB\nRssAnon:\t 10 kB\n"
                + "RssFile:\t 2 kB\nRssShmem:\t 0 kB\nVmSwap:\t 0 kB\n", "status");
        assertThat(s.vmHwmKiB()).isZero();
        assertThat(s.rssKiB()).isEqualTo(12);
    }

    @Test
    void aZombieHasNoMark() {
        PidStatus s = PidStatus.parse("Name:\tsh\nState:\tZ (zombie)\nTgid:\t5\n", "status");
        assertThat(s.vmHwmKiB()).isZero();
    }

    @Test
    void maxRssIsTheFifthLongOfTheStruct() {
        long[] ru = Rusage.buffer();
        assertThat(ru).hasSize(18);
        ru[0] = 1; // ru_utime.tv_sec
        ru[3] = 500; // ru_stime.tv_usec
        ru[4] = 110672; // ru_maxrss, KiB
        ru[5] = 7; // ru_ixrss (unused by Linux)
        assertThat(Rusage.maxRssKiB(ru)).hasValue(110672);
    }

    @Test
    void anUnfilledStructHasNoMaxRss() {
        assertThat(Rusage.maxRssKiB(Rusage.buffer())).isEmpty();
        assertThat(Rusage.maxRssKiB(new long[4])).isEmpty();
    }

    @Test
    void aGroupCounterIsOneNumber() {
        // memory.max_usage_in_bytes of fixtures/cgroup-v1-limited
        assertThat(JobCgroup.parseCounter(Fixtures.text("cgroup-v1-limited/memory.max_usage_in_bytes")))
                .hasValue(135528448);
        assertThat(JobCgroup.parseCounter("max\n")).isEmpty();
        assertThat(JobCgroup.parseCounter("")).isEmpty();
        assertThat(JobCgroup.parseCounter("-5")).isEmpty();
    }
}
