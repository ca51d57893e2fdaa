package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.Fixtures;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.units.ByteSize;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The whole tick against hand-built cgroup trees (see the NOTE.md of each fixture). */
class SamplerFixtureTest {
    private static final long GIB = 1L << 30;

    @Test
    void v2TreeFindsJobChildAndAdoptedOrphanButNotTheSupervisorsHelper() {
        Sampler sampler = new Sampler(new ProcFs(Fixtures.path("cgroup-v2-nested")),
                TreeSpec.of(4242).adoptedBy(4200), LimitSources.standard(), () -> 0L);
        Sample s = sampler.sample();
        assertThat(s.tree()).extracting(ProcessMemory::pid).containsExactlyInAnyOrder(4242, 4243, 4300);
        assertThat(s.totals().rssAnonKiB()).isEqualTo(1500000 + 900000 + 400000);
        assertThat(s.totals().rssFileKiB()).isEqualTo(3 * 2048);
    }

    @Test
    void v2ParentSliceBindsBecauseItsSiblingsShareIt() {
        Sample s = new Sampler(new ProcFs(Fixtures.path("cgroup-v2-nested")), TreeSpec.of(4242).adoptedBy(4200),
                LimitSources.standard(), () -> 0L).sample();
        assertThat(s.limits()).extracting(Limit::source)
                .containsExactly(LimitSource.CGROUP_V2, LimitSource.CGROUP_V2, LimitSource.HOST);
        assertThat(s.limits().get(0).headroom().bytes()).isEqualTo(6652166144L);
        assertThat(s.binding().source()).isEqualTo(LimitSource.CGROUP_V2);
        assertThat(s.binding().description()).startsWith("cgroup v2 /sys/fs/cgroup/system.slice/job.slice:");
        assertThat(s.binding().headroom().bytes()).isEqualTo(1879048192L);
        assertThat(s.binding().capacity().bytes()).isEqualTo(9 * GIB);
        assertThat(s.throttles()).singleElement().satisfies(t -> {
            assertThat(t.high()).isEqualTo(ByteSize.ofGiB(5));
            assertThat(t.exceeded()).isFalse();
        });
        assertThat(s.oomKills().host()).isEqualTo(OptionalLong.of(3));
        assertThat(s.oomKills().cgroups()).containsEntry("/sys/fs/cgroup/system.slice/job.slice", 2L)
                .containsEntry("/sys/fs/cgroup/system.slice/job.slice/run.scope", 1L);
        assertThat(s.oomCandidates()).isEmpty(); // read only when the host binds
    }

    @Test
    void userLimitCanBind() {
        Sample s = new Sampler(new ProcFs(Fixtures.path("cgroup-v2-nested")), TreeSpec.of(4242).adoptedBy(4200),
                LimitSources.standard().withUserLimit(ByteSize.ofGiB(3)), () -> 0L).sample();
        assertThat(s.binding().source()).isEqualTo(LimitSource.USER);
        long used = (1500000 + 900000 + 400000 + 3 * 2048) * 1024L;
        assertThat(s.binding().headroom().bytes()).isEqualTo(3 * GIB - used);
    }

    @Test
    void v1SlurmJobLimitBindsWithMemsw() {
        Sample s = new Sampler(new ProcFs(Fixtures.path("cgroup-v1-memsw")), TreeSpec.of(710), LimitSources.standard(),
                () -> 0L).sample();
        assertThat(s.tree()).extracting(ProcessMemory::comm).containsExactly("python3");
        assertThat(s.tree().get(0).swapKiB()).isEqualTo(512 * 1024);
        assertThat(s.limits()).hasSize(2);
        assertThat(s.binding().source()).isEqualTo(LimitSource.CGROUP_V1);
        assertThat(s.binding().description()).contains("/sys/fs/cgroup/memory/slurm/uid_1000/job_42")
                .startsWith("Slurm job 42's memory allocation (--mem 4G): cgroup v1 ");
        assertThat(s.binding().headroom().bytes()).isEqualTo(2415919104L);
        assertThat(s.binding().capacity().bytes()).isEqualTo(6 * GIB);
        assertThat(s.oomKills().cgroups()).containsEntry("/sys/fs/cgroup/memory/slurm/uid_1000/job_42", 1L);
    }

    @Test
    void aJobGoneBeforeItIsLocatedIsBoundByTheCgroupItWasStartedIn() {
        ProcFs fs = new ProcFs(Fixtures.path("cgroup-v1-memsw"));
        Optional<CgroupPaths> stepd = CgroupPaths.read(fs, 700); // where oomguard ran, inside the job's step
        Sample s = new Sampler(fs, TreeSpec.of(4711), LimitSources.standard(), () -> 0L, stepd).sample();
        assertThat(s.tree()).isEmpty();
        assertThat(s.binding().source()).isEqualTo(LimitSource.CGROUP_V1);
        assertThat(s.binding().description()).startsWith("Slurm job 42's memory allocation (--mem 4G)");

        Sample unknown = new Sampler(fs, TreeSpec.of(4711), LimitSources.standard(), () -> 0L).sample();
        assertThat(unknown.binding().source()).isEqualTo(LimitSource.HOST);
    }

    @Test
    void aZombieDoesNotLocateTheJobAtTheRootCgroup() {
        ProcFs fs = new ProcFs(Fixtures.path("cgroup-v1-memsw"));
        // 720 has exited: its cgroup file names "/", which would leave the host as the binding limit.
        // The zombie's file is not even read; were it read, the root would not replace the group
        // oomguard was started in either (see aProcessOnItsWayOut...): two guards, one outcome.
        Sample s = new Sampler(fs, TreeSpec.of(720), LimitSources.standard(), () -> 0L, CgroupPaths.read(fs, 700))
                .sample();
        assertThat(s.tree()).isEmpty();
        assertThat(s.binding().source()).isEqualTo(LimitSource.CGROUP_V1);
        assertThat(s.binding().description()).contains("/sys/fs/cgroup/memory/slurm/uid_1000/job_42");
    }

    @Test
    void aProcessOnItsWayOutDoesNotMoveTheJobToTheRootCgroup() {
        ProcFs fs = new ProcFs(Fixtures.path("cgroup-v1-memsw"));
        // 730 is still running (state R) but the kernel has moved it to the root already.
        Sample s = new Sampler(fs, TreeSpec.of(730), LimitSources.standard(), () -> 0L, CgroupPaths.read(fs, 700))
                .sample();
        assertThat(s.binding().source()).isEqualTo(LimitSource.CGROUP_V1);
        assertThat(s.oomKills().cgroups()).containsEntry("/sys/fs/cgroup/memory/slurm/uid_1000/job_42", 1L);
    }
}
