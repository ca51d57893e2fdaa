package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
    @TempDir
    Path root;

    @Test
    void aVanishedProcessIsEmptyNotAnError() {
        ProcFs fs = new ProcFs(root);
        assertThat(fs.readProcess(4242, "status")).isEmpty();
        assertThat(PidStat.read(fs, 4242)).isEmpty();
        assertThat(PidStatus.read(fs, 4242)).isEmpty();
        assertThat(SmapsRollup.read(fs, 4242)).isEmpty();
        assertThat(OomScore.read(fs, 4242)).isEmpty();
    }

    @Test
    void aMissingSystemFileIsAnErrorNamingThePath() {
        assertThatThrownBy(() -> MemInfo.read(new ProcFs(root)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(root.resolve("proc/meminfo").toString());
    }

    @Test
    void anUnreadableFileIsAnErrorNotEmpty() throws Exception {
        Files.createDirectories(root.resolve("proc/meminfo")); // a directory where a file should be
        assertThatThrownBy(() -> new ProcFs(root).read("/proc/meminfo"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("proc/meminfo");
    }

    @Test
    void pathsResolveUnderTheRootAndPidsAreOnlyNumericEntries() throws Exception {
        Files.createDirectories(root.resolve("proc/12"));
        Files.createDirectories(root.resolve("proc/self"));
        Files.createDirectories(root.resolve("proc/1a"));
        ProcFs fs = new ProcFs(root);
        assertThat(fs.path("//sys/fs/cgroup/memory.max")).isEqualTo(root.resolve("sys/fs/cgroup/memory.max"));
        assertThat(fs.pids()).containsExactly(12);
        assertThat(fs.name("/proc/12/stat")).isEqualTo(fs.path("/proc/12/stat").toString());
        assertThat(ProcFs.system().name("/proc/12/stat")).isEqualTo("/proc/12/stat");
        assertThat(new ProcFs(Path.of("")).name("/proc/12/stat")).isEqualTo("./proc/12/stat");
    }
}
