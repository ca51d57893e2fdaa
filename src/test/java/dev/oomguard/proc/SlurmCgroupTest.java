package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SlurmCgroupTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // path | job | step | exactly its own group
        "/slurm_vm/uid_0/job_3|3|-|true",                         // Debian 12, Slurm 22.05, cgroup v1 (seen here)
        "/slurm_vm/uid_0/job_3/step_batch|3|batch|true",
        "/slurm_vm/uid_0/job_3/step_batch/task_0|3|batch|false",
        "/sys/fs/cgroup/memory/slurm/uid_1000/job_42|42|-|true", // a directory, upstream's /slurm
        "/slurm/uid_1000/job_42/step_0/task_1|42|0|false",
        "/slurm/uid_1000/job_42/step_extern|42|extern|true",
        "/system.slice/slurmstepd.scope/job_7/step_0/user/task_0|7|0|false", // cgroup v2 (Slurm 22.05 cgroup/v2)
        "/system.slice/slurmstepd.scope/job_7|7|-|true",
    })
    void recognisesSlurmGroups(String path, long job, String step, boolean exact) {
        SlurmCgroup s = SlurmCgroup.of(path).orElseThrow();
        assertThat(s.jobId()).isEqualTo(job);
        assertThat(s.step()).isEqualTo(Optional.ofNullable(step));
        assertThat(SlurmCgroup.exactly(path).isPresent()).isEqualTo(exact);
    }

    @ParameterizedTest
    @CsvSource({"/", "/user.slice/user-1000.slice/session-2.scope", "/oomguard-42", "/slurmish/job_3",
        "/docker/0123456789ab"})
    void ignoresOtherGroups(String path) {
        assertThat(SlurmCgroup.of(path)).isEmpty();
    }

    @Test
    void theStepOfAProcessComesFromAnyHierarchy() {
        // /proc/self/cgroup in an sbatch script on this machine (Slurm 22.05, cgroup v1, proctrack/cgroup)
        String batch = "9:name=systemd:/\n8:pids:/\n6:freezer:/slurm_vm/uid_0/job_1/step_batch\n5:devices:/\n"
                + "4:memory:/slurm_vm/uid_0/job_1/step_batch/task_0\n3:cpuset:/\n"
                + "2:cpuacct:/slurm_vm/uid_0/job_1/step_batch/task_0\n1:cpu:/\n0::/\n";
        assertThat(SlurmCgroup.stepOf(batch)).contains(new SlurmCgroup(1, Optional.of("batch")));
        // srun inside it: another step of the same job
        String srun = batch.replace("step_batch", "step_0");
        assertThat(SlurmCgroup.stepOf(srun)).contains(new SlurmCgroup(1, Optional.of("0")));
        assertThat(SlurmCgroup.stepOf("0::/user.slice\n4:memory:/\n")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"209715200,200M", "4294967296,4G", "1610612736,1536M", "1000000,977K"})
    void memArgIsWhatSbatchTakes(long bytes, String arg) {
        assertThat(SlurmCgroup.memArg(bytes)).isEqualTo(arg);
    }
}
