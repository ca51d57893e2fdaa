package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CgroupMemoryTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @Test
    void realV1GroupWithA256MLimit() {
        ProcFs fs = new ProcFs(Fixtures.path("cgroup-v1-limited"));
        CgroupMemory c = CgroupMemory.read(fs, CgroupVersion.V1, "/").orElseThrow();
        assertThat(c.usageBytes()).isEqualTo(135524352);
        assertThat(c.inactiveFileBytes()).isEqualTo(33554432);
        assertThat(c.workingSetBytes()).isEqualTo(101969920);
        assertThat(c.limitBytes()).hasValue(268435456);
        assertThat(c.swapLimitBytes()).hasValue(268435456); // memsw 512M - limit 256M
        assertThat(c.oomKills()).hasValue(0);
        assertThat(c.highBytes()).isEmpty();
    }

    @Test
    void realUnlimitedV1Group() {
        ProcFs fs = new ProcFs(Fixtures.path("host-6.18/cgroup-v1"));
        CgroupMemory c = CgroupMemory.read(fs, CgroupVersion.V1, "/").orElseThrow();
        assertThat(c.limitBytes()).isEmpty();
        assertThat(c.swapLimitBytes()).isEmpty();
    }

    @Test
    void v2WithHighSwapMaxAndEvents() {
        ProcFs fs = new ProcFs(Fixtures.path("cgroup-v2-nested"));
        CgroupMemory scope = CgroupMemory.read(fs, CgroupVersion.V2, "/sys/fs/cgroup/system.slice/job.slice/run.scope").orElseThrow();
        assertThat(scope.limitBytes()).hasValue(6 * GIB);
        assertThat(scope.highBytes()).hasValue(5 * GIB);
        assertThat(scope.swapLimitBytes()).isEmpty();
        assertThat(scope.inactiveFileBytes()).isEqualTo(200 * MIB);
        assertThat(scope.oomKills()).hasValue(1);
        CgroupMemory slice = CgroupMemory.read(fs, CgroupVersion.V2, "/sys/fs/cgroup/system.slice/job.slice").orElseThrow();
        assertThat(slice.swapLimitBytes()).hasValue(GIB);
        assertThat(slice.swapUsageBytes()).isEqualTo(256 * MIB);
        assertThat(slice.workingSetBytes()).isEqualTo(7 * GIB);
    }

    @Test
    void v2RootAndRemovedGroupsAreEmptyNotZero() {
        ProcFs fs = new ProcFs(Fixtures.path("cgroup-v2-nested"));
        assertThat(CgroupMemory.read(fs, CgroupVersion.V2, "/sys/fs/cgroup")).isEmpty();
        assertThat(CgroupMemory.read(fs, CgroupVersion.V2, "/sys/fs/cgroup/gone.scope")).isEmpty();
    }

    @Test
    void v1MemswGivesSwapLimitAndUsage() {
        ProcFs fs = new ProcFs(Fixtures.path("cgroup-v1-memsw"));
        CgroupMemory job = CgroupMemory.read(fs, CgroupVersion.V1, "/sys/fs/cgroup/memory/slurm/uid_1000/job_42").orElseThrow();
        assertThat(job.swapLimitBytes()).hasValue(2 * GIB);
        assertThat(job.swapUsageBytes()).isEqualTo(512 * MIB);
        assertThat(job.oomKills()).hasValue(1);
    }
}
