package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmStepTest {
    /** /proc/PID/cgroup of a process in an sbatch script here (Slurm 22.05, cgroup v1). */
    private static final String BATCH = "6:freezer:/slurm_vm/uid_0/job_6/step_batch\n5:devices:/\n"
            + "4:memory:/slurm_vm/uid_0/job_6/step_batch/task_0\n0::/\n";

    @TempDir
    Path root;

    private void write(String path, String text) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void proctrackTypeIsReadLikeSlurmDoes() {
        assertThat(SlurmStep.proctrackType("ClusterName=x\nProctrackType=proctrack/linuxproc\n"))
                .contains("proctrack/linuxproc");
        assertThat(SlurmStep.proctrackType("proctracktype = proctrack/pgid # comment\n")).contains("proctrack/pgid");
        assertThat(SlurmStep.proctrackType("#ProctrackType=proctrack/linuxproc\nTaskPlugin=task/cgroup\n")).isEmpty();
    }

    @Test
    void withTheDefaultProctrackSlurmSignalsOnlyItsTasksSoTermIsRelayed() throws IOException {
        write("/proc/100/cgroup", BATCH);
        write("/proc/200/cgroup", BATCH);
        SlurmStep s = SlurmStep.of(new ProcFs(root), 100, Map.of("SLURM_CONF", "/nowhere/slurm.conf")).orElseThrow();
        assertThat(s.proctrack()).isEqualTo("proctrack/cgroup");
        assertThat(s.step().jobId()).isEqualTo(6);
        assertThat(s.step().step()).contains("batch");
        assertThat(s.signalsReach(200)).isFalse();
    }

    @Test
    void withLinuxprocSlurmSignalsTheWholeTreeSoTermIsNotRelayed() throws IOException {
        write("/etc/slurm/slurm.conf", "ProctrackType=proctrack/linuxproc\n");
        write("/proc/100/cgroup", BATCH);
        write("/proc/200/cgroup", BATCH);
        write("/proc/300/cgroup", BATCH.replace("step_batch", "step_0")); // another step of the job
        SlurmStep s = SlurmStep.of(new ProcFs(root), 100, Map.of()).orElseThrow();
        assertThat(s.signalsReach(200)).isTrue();
        assertThat(s.signalsReach(300)).isFalse();
        assertThat(s.signalsReach(400)).isFalse(); // gone
    }

    @Test
    void outsideSlurmThereIsNoStep() throws IOException {
        write("/proc/100/cgroup", "4:memory:/user.slice\n0::/user.slice/session-1.scope\n");
        assertThat(SlurmStep.of(new ProcFs(root), 100, Map.of("SLURM_JOB_ID", "6"))).isEqualTo(Optional.empty());
    }

    @Test
    void onceReadsNothingBeforeItIsAskedThenKeepsWhatItRead() throws IOException {
        java.util.function.Supplier<Optional<SlurmStep>> step = SlurmStep.once(new ProcFs(root), 100, Map.of());
        write("/proc/100/cgroup", BATCH); // written after: nothing was read yet
        assertThat(step.get()).isPresent();
        write("/proc/100/cgroup", "0::/user.slice\n");
        assertThat(step.get().orElseThrow().step().jobId()).isEqualTo(6);
    }
}
