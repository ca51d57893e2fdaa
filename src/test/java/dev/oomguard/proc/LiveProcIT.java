package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsers on the live system: this very process, and a real lock it holds. */
class LiveProcIT {
    @TempDir
    Path dir;

    @Test
    void theLiveSystemReadsThisVeryProcess() {
        ProcFs fs = ProcFs.system();
        int pid = (int) ProcessHandle.current().pid();
        PidStat self = PidStat.read(fs, pid).orElseThrow();
        assertThat(self.pid()).isEqualTo(pid);
        assertThat(self.ppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(PidStatus.read(fs, pid).orElseThrow().rssAnonKiB()).isPositive();
        assertThat(fs.pids()).contains(pid);
    }

    @Test
    void findsThisProcessAsTheTakerOfARealLock() throws Exception {
        Path file = dir.resolve("x.lock");
        try (var lock = dev.oomguard.launch.JobLock.acquire(LibC.INSTANCE, file, Duration.ZERO)) {
            assertThat(FileLocks.flockTakers(ProcFs.system(), file)).containsExactly((int) ProcessHandle.current().pid());
        }
        assertThat(FileLocks.flockTakers(ProcFs.system(), file)).isEmpty();
        assertThat(FileLocks.flockTakers(ProcFs.system(), dir.resolve("missing"))).isEmpty();
        assertThat(Files.exists(file)).isTrue();
    }
}
