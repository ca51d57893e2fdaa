package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StallSamplerTest {
    private static final String MOUNTS = "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
            + "35 25 0:30 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw\n";

    @TempDir
    Path root;

    private void write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void process(int pid, long majorFaults, String v2Group) throws IOException {
        write("proc/" + pid + "/stat", pid + " (job) S 1 1 1 0 -1 4194304 100 0 " + majorFaults
                + " 0 5 3 0 0 20 0 1 0 500 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
        write("proc/" + pid + "/cgroup", "4:memory:/job\n0::" + v2Group + "\n");
    }

    /** The process as this tick's scan saw it, with its major faults so far. */
    private PidStat member(int pid) {
        return PidStat.read(new ProcFs(root), pid).orElseThrow();
    }

    private StallSampler sampler() throws IOException {
        write("proc/self/mountinfo", MOUNTS);
        ProcFs fs = new ProcFs(root);
        return new StallSampler(fs, CgroupMount.read(fs));
    }

    @Test
    void readsTheJobsOwnGroupAndKeepsTheFaultsOfProcessesThatExited() throws IOException {
        write("proc/pressure/memory", "some avg10=0.00 avg60=0.00 avg300=0.00 total=900\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=800\n");
        write("sys/fs/cgroup/unified/jobs/a/memory.pressure", "some avg10=14.34 avg60=6.63 avg300=5.01 total=21566900\n"
                + "full avg10=14.34 avg60=6.63 avg300=5.01 total=21566000\n");
        process(10, 32, "/jobs/a");
        process(11, 5, "/jobs/a");
        StallSampler s = sampler();
        StallReading first = s.read(List.of(member(10), member(11)));
        assertThat(first.treeMajorFaults()).isEqualTo(37);
        assertThat(first.psi().orElseThrow()).isEqualTo(new StallReading.Psi(StallReading.Scope.JOB_CGROUP, "/jobs/a",
                21566900, 21566000));

        process(10, 97, "/jobs/a");
        StallReading second = s.read(List.of(member(10))); // 11 exited: its 5 faults stay counted
        assertThat(second.treeMajorFaults()).isEqualTo(37 + 65);

        StallReading gone = s.read(List.of());
        assertThat(gone.psi().orElseThrow().scope()).as("the job's group is still read once the tree is gone")
                .isEqualTo(StallReading.Scope.JOB_CGROUP);
        assertThat(gone.treeMajorFaults()).isEqualTo(102);
    }

    @Test
    void aJobInTheRootGroupGetsTheHostsPressure() throws IOException {
        write("proc/pressure/memory", "some avg10=0.00 avg60=0.00 avg300=0.00 total=900\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=800\n");
        process(10, 1, "/");
        StallReading r = sampler().read(List.of(member(10)));
        assertThat(r.psi().orElseThrow()).isEqualTo(new StallReading.Psi(StallReading.Scope.HOST,
                "/proc/pressure/memory", 900, 800));
        assertThat(r.psi().get().describe()).isEqualTo("host-wide PSI some");
    }

    @Test
    void withoutPsiOnlyTheFaultsAreCounted() throws IOException {
        process(10, 7, "/jobs/a");
        StallReading r = sampler().read(List.of(member(10)));
        assertThat(r.psi()).isEmpty();
        assertThat(r.treeMajorFaults()).isEqualTo(7);
    }
}
