package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The per-file parsers against files captured on the dev machine (fixtures/host-6.18, hostile-comm). */
class ProcParsersTest {
    @Test
    void memInfoFromTheRealMachine() {
        MemInfo m = MemInfo.parse(Fixtures.text("host-6.18/meminfo"), "meminfo");
        assertThat(m).isEqualTo(new MemInfo(24683656, 24395860, 0, 0));
    }

    @Test
    void memInfoWithoutMemAvailableIsAnErrorNamingTheSource() {
        assertThatThrownBy(() -> MemInfo.parse("MemTotal: 100 kB\nMemFree: 50 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n", "/x/meminfo"))
                .isInstanceOf(Malformed.class)
                .hasMessageContaining("/x/meminfo").hasMessageContaining("MemAvailable");
    }

    @Test
    void memInfoWithAGarbledNumberNamesTheLine() {
        assertThatThrownBy(() -> MemInfo.parse("MemTotal: 99999999999999999999999 kB\n", "/x/meminfo"))
                .isInstanceOf(Malformed.class).hasMessageContaining("MemTotal: 99999999999999999999999 kB");
    }

    @Test
    void statOfTheRealPython() {
        PidStat s = PidStat.parse(Fixtures.text("host-6.18/self_stat"), "stat");
        assertThat(s).isEqualTo(new PidStat(3934, "python3", 'R', 3931, 3931, 33231, 3358, 1, 2854, 1));
    }

    @Test
    void hostileCommCannotFakeStateOrParent() {
        PidStat s = PidStat.parse(Fixtures.text("hostile-comm/stat"), "stat");
        assertThat(s.comm()).isEqualTo("foo) Z 1 (x");
        assertThat(s.state()).isEqualTo('R');
        assertThat(s.ppid()).isEqualTo(4032);
        assertThat(s.startTimeTicks()).isEqualTo(33638);
    }

    @Test
    void truncatedStatIsAnError() {
        assertThatThrownBy(() -> PidStat.parse("12 (x) S 1 1", "/proc/12/stat"))
                .isInstanceOf(Malformed.class).hasMessageContaining("/proc/12/stat").hasMessageContaining("12 (x) S 1 1");
    }

    @Test
    void statusSplitsResidentMemory() {
        PidStatus s = PidStatus.parse(Fixtures.text("host-6.18/self_status"), "status");
        assertThat(s.name()).isEqualTo("python3");
        assertThat(s.state()).isEqualTo('R');
        assertThat(s.rssAnonKiB()).isEqualTo(6880);
        assertThat(s.rssFileKiB()).isEqualTo(6720);
        assertThat(s.rssShmemKiB()).isZero();
        assertThat(s.vmSwapKiB()).isZero();
    }

    @Test
    void statusOfTheLimitedCgroupProcessShowsTheTouchedArray() {
        PidStatus s = PidStatus.parse(Fixtures.text("cgroup-v1-limited/proc_pid_status"), "status");
        assertThat(s.rssAnonKiB()).isGreaterThan(64 * 1024); // the 64 MiB bytearray it touched
    }

    @Test
    void zombieStatusHoldsNothing() {
        PidStatus s = PidStatus.parse("Name:\tR\nUmask:\t0022\nState:\tZ (zombie)\nTgid:\t5\nPPid:\t1\nThreads:\t1\n", "status");
        assertThat(s.rssKiB()).isZero();
        assertThat(s.state()).isEqualTo('Z');
    }

    @Test
    void livingProcessWithoutRssLinesIsMalformed() {
        assertThatThrownBy(() -> PidStatus.parse("Name:\tR\nState:\tS (sleeping)\nVmSize:\t 100 kB\nVmRSS:\t 10 kB\n", "/proc/9/status"))
                .isInstanceOf(Malformed.class).hasMessageContaining("/proc/9/status").hasMessageContaining("RssAnon");
    }

    @Test
    void smapsRollupGivesPss() {
        SmapsRollup r = SmapsRollup.parse(Fixtures.text("host-6.18/self_smaps_rollup"), "smaps_rollup");
        assertThat(r.rssKiB()).isEqualTo(13600);
        assertThat(r.pssKiB()).isEqualTo(12350);
        assertThat(r.swapPssKiB()).isZero();
    }

    @Test
    void vmstatOomKill() {
        assertThat(VmStat.parseOomKills(Fixtures.text("host-6.18/vmstat"), "vmstat")).isEqualTo(OptionalLong.of(0));
        assertThat(VmStat.parseOomKills("nr_free_pages 5\noom_kill 12\n", "vmstat")).isEqualTo(OptionalLong.of(12));
        assertThat(VmStat.parseOomKills("nr_free_pages 5\n", "vmstat")).isEmpty(); // before 4.13: unknown, not 0
    }

    @Test
    void oomScore() {
        assertThat(OomScore.parse(Fixtures.text("host-6.18/self_oom_score"), "oom_score")).isGreaterThanOrEqualTo(0);
        assertThatThrownBy(() -> OomScore.parse("lots\n", "/proc/3/oom_score"))
                .isInstanceOf(Malformed.class).hasMessageContaining("/proc/3/oom_score").hasMessageContaining("lots");
    }

    @Test
    void cgroupFileOfTheRealMachineIsHybrid() {
        CgroupPaths p = CgroupPaths.parse(Fixtures.text("host-6.18/self_cgroup"), "cgroup");
        assertThat(p.v1Memory()).hasValue("/process_api/8f5b5f3443eb4900860c99823ca83e76");
        assertThat(p.v2()).hasValue("/");
    }

    @Test
    void cgroupFileWithCombinedControllersAndMalformedLines() {
        assertThat(CgroupPaths.parse("5:cpu,memory:/a/b\n", "c").v1Memory()).hasValue("/a/b");
        assertThat(CgroupPaths.parse("0::/user.slice/x.scope\n", "c").v1Memory()).isEmpty();
        assertThatThrownBy(() -> CgroupPaths.parse("memory /a\n", "/proc/1/cgroup"))
                .isInstanceOf(Malformed.class).hasMessageContaining("memory /a");
    }

    @Test
    void mountInfoOfTheRealMachineFindsV1MemoryAndV2() {
        var mounts = CgroupMount.parse(Fixtures.text("host-6.18/self_mountinfo"), "mountinfo");
        assertThat(mounts).containsExactly(
                new CgroupMount(CgroupVersion.V1, "/sys/fs/cgroup/memory", "/"),
                new CgroupMount(CgroupVersion.V2, "/sys/fs/cgroup/unified", "/"));
    }

    @Test
    void mountInsideAContainerMapsPathsBelowItsRoot() {
        var mount = CgroupMount.parse("40 31 0:33 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n", "m").get(0);
        assertThat(mount.directoryOf("/docker/abc/job")).hasValue("/sys/fs/cgroup/memory/job");
        assertThat(mount.directoryOf("/docker/abc")).hasValue("/sys/fs/cgroup/memory");
        assertThat(mount.directoryOf("/other")).isEmpty();
    }

    @Test
    void aContainersOwnGroupBoundOverTheHierarchyHidesTheHostMount() {
        // As Docker does with cgroup v1 (host cgroup namespace): the container's group bound over the mount point.
        var bound = CgroupMount.parse("51 47 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                + "64 51 0:32 /ctr /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n", "m");
        assertThat(CgroupMount.directoryOf(bound, CgroupVersion.V1, "/ctr")).hasValue("/sys/fs/cgroup/memory");
        assertThat(CgroupMount.directoryOf(bound, CgroupVersion.V1, "/ctr/job")).hasValue("/sys/fs/cgroup/memory/job");
        assertThat(CgroupMount.directoryOf(bound, CgroupVersion.V1, "/")).as("the host's root is out of sight").isEmpty();
        // With a cgroup namespace of its own (Docker's default on cgroup v2): the job's group is "/",
        // the hidden mount's root is shown as "/..". Both read from a real 'unshare --cgroup' here.
        var own = CgroupMount.parse("51 47 0:32 /.. /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                + "64 51 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n", "m");
        assertThat(CgroupMount.directoryOf(own, CgroupVersion.V1, "/")).hasValue("/sys/fs/cgroup/memory");
        assertThat(CgroupMount.directoryOf(own, CgroupVersion.V2, "/")).isEmpty();
    }

    @Test
    void mountPointsWithSpacesAreUnescaped() {
        assertThat(CgroupMount.unescape("/mnt/my\\040cgroups")).isEqualTo("/mnt/my cgroups");
    }

    @Test
    void v1UnlimitedAndV2Max() {
        assertThat(CgroupMemory.parseV1Limit(Fixtures.text("host-6.18/cgroup-v1/memory.limit_in_bytes"), "l")).isEmpty();
        assertThat(CgroupMemory.parseV1Limit("9223372036854710272\n", "l")).isEmpty(); // 64 KiB pages
        assertThat(CgroupMemory.parseV1Limit("268435456\n", "l")).hasValue(268435456);
        assertThat(CgroupMemory.parseV2Max("max\n", "m")).isEmpty();
        assertThat(CgroupMemory.parseV2Max("1073741824\n", "m")).hasValue(1073741824);
        assertThatThrownBy(() -> CgroupMemory.parseV2Max("lots\n", "/sys/fs/cgroup/x/memory.max"))
                .isInstanceOf(Malformed.class).hasMessageContaining("/sys/fs/cgroup/x/memory.max").hasMessageContaining("lots");
    }

    @Test
    void realV1OomControlAndStat() {
        var oom = CgroupMemory.parseKeyed(Fixtures.text("host-6.18/cgroup-v1/memory.oom_control"), "oc");
        assertThat(oom).containsEntry("oom_kill", 0L).containsEntry("under_oom", 0L);
        var stat = CgroupMemory.parseKeyed(Fixtures.text("cgroup-v1-limited/memory.stat"), "st");
        assertThat(stat).containsEntry("total_inactive_file", 33554432L).containsEntry("hierarchical_memory_limit", 268435456L);
    }

    @Test
    void pressureOfTheIdleMachineAndABusyOne() {
        MemoryPressure idle = MemoryPressure.parse(Fixtures.text("host-6.18/pressure_memory"), "pressure");
        assertThat(idle).isEqualTo(new MemoryPressure(0, 0, 0, 0, 0));
        MemoryPressure busy = MemoryPressure.parse("some avg10=12.50 avg60=3.10 avg300=0.70 total=912345\n"
                + "full avg10=4.00 avg60=1.00 avg300=0.20 total=300000\n", "p");
        assertThat(busy).isEqualTo(new MemoryPressure(12.5, 3.1, 4.0, 912345, 300000));
        assertThatThrownBy(() -> MemoryPressure.parse("some avg10=x avg60=0 avg300=0 total=0\nfull avg10=0 avg60=0 avg300=0 total=0\n", "/proc/pressure/memory"))
                .isInstanceOf(Malformed.class).hasMessageContaining("avg10=x");
    }
}
