package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobCgroupSweepTest {
    /** PID 100 runs since tick 5000; PID 200 since 7; every other PID is gone. */
    private static final IntFunction<Optional<Long>> RUNNING =
            pid -> Optional.ofNullable(Map.of(100, 5000L, 200, 7L).get(pid));

    @Test
    void aGroupIsAbandonedWhenItsOomguardIsGoneOrItsPidNamesALaterProcess() {
        assertThat(JobCgroup.abandoned("oomguard-300-12", RUNNING)).as("PID gone").isTrue();
        assertThat(JobCgroup.abandoned("oomguard-100-4999", RUNNING)).as("PID reused").isTrue();
        assertThat(JobCgroup.abandoned("oomguard-100-5000", RUNNING)).as("still running").isFalse();
        assertThat(JobCgroup.abandoned("oomguard-300", RUNNING)).as("old name, PID gone").isTrue();
        assertThat(JobCgroup.abandoned("oomguard-200", RUNNING)).as("old name, PID there: cannot tell").isFalse();
        assertThat(JobCgroup.abandoned("oomguard-x", RUNNING)).isFalse();
        assertThat(JobCgroup.abandoned("files-oomguard-300", RUNNING)).isFalse();
        assertThat(JobCgroup.abandoned("oomguard-300-12-extra", RUNNING)).isFalse();
        assertThat(JobCgroup.abandoned("oomguard-99999999999999-1", RUNNING)).as("no such PID number").isFalse();
    }

    @Test
    void theSweepRemovesOnlyAbandonedGroupsThatCanBeRemoved(@TempDir Path home) throws IOException {
        Path gone = Files.createDirectory(home.resolve("oomguard-300-12"));
        Path live = Files.createDirectory(home.resolve("oomguard-100-5000"));
        Path busy = Files.createDirectory(home.resolve("oomguard-301-1")); // not empty: rmdir refuses, as for a cgroup in use
        Files.writeString(busy.resolve("tasks"), "4242\n");
        Path other = Files.createDirectory(home.resolve("slurm"));
        assertThat(JobCgroup.sweep(home, RUNNING)).containsExactly(gone);
        assertThat(gone).doesNotExist();
        assertThat(live).exists();
        assertThat(busy).exists();
        assertThat(other).exists();
        assertThat(JobCgroup.sweep(home.resolve("missing"), RUNNING)).isEmpty();
    }
}
