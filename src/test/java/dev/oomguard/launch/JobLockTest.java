package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oomguard.proc.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real flock(2) locks: two open files of one path conflict even inside one process. */
class JobLockTest {
    @TempDir
    Path dir;

    private final LibC libc = LibC.INSTANCE;

    @Test
    void aSecondTakerIsRefusedAtOnceAndGetsItOnceTheFirstCloses() {
        Path file = dir.resolve("job.lock");
        JobLock first = JobLock.acquire(libc, file, Duration.ZERO);
        assertThat(file).exists();
        assertThatThrownBy(() -> JobLock.acquire(libc, file, Duration.ZERO)).isInstanceOf(JobLock.Busy.class)
                .hasMessage("another run holds the lock " + file + " (PID " + ProcessHandle.current().pid()
                        + "); the command was not started (exit status 75)");
        first.close();
        JobLock.acquire(libc, file, Duration.ZERO).close();
    }

    @Test
    void waitingPollsUntilTheDeadlineThenGivesUp() {
        Path file = dir.resolve("wait.lock");
        try (JobLock held = JobLock.acquire(libc, file, Duration.ZERO)) {
            AtomicLong clock = new AtomicLong();
            AtomicLong sleeps = new AtomicLong();
            assertThatThrownBy(() -> JobLock.acquire(libc, file, Duration.ofSeconds(2), clock::get, n -> {
                sleeps.incrementAndGet();
                clock.addAndGet(n);
            })).isInstanceOf(JobLock.Busy.class).hasMessageContaining("; waited 2s)");
            assertThat(sleeps.get()).isEqualTo(20); // every 100 ms
            assertThat(clock.get()).isEqualTo(Duration.ofSeconds(2).toNanos());
        }
    }

    @Test
    void aWaiterGetsTheLockWhenTheHolderLetsGo() {
        Path file = dir.resolve("handover.lock");
        JobLock held = JobLock.acquire(libc, file, Duration.ZERO);
        AtomicLong clock = new AtomicLong();
        JobLock got = JobLock.acquire(libc, file, Duration.ofMinutes(1), clock::get, n -> {
            clock.addAndGet(n);
            if (clock.get() >= Duration.ofMillis(300).toNanos()) {
                held.close();
            }
        });
        got.close();
        assertThat(clock.get()).isEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void theDescriptorIsInheritableSoTheJobKeepsTheLock() throws Exception {
        try (JobLock held = JobLock.acquire(libc, dir.resolve("fd.lock"), Duration.ZERO)) {
            String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + held.fd())).stream()
                    .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
            long octal = Long.parseLong(flags.substring(6).trim(), 8);
            assertThat(octal & 02000000).as("O_CLOEXEC").isZero();
        }
    }

    @Test
    void aLockFileThatCannotBeCreatedIsOwnErrorWithAHint() {
        Path file = dir.resolve("missing/dir/x.lock");
        assertThatThrownBy(() -> JobLock.acquire(libc, file, Duration.ZERO)).isInstanceOf(JobLock.Unusable.class)
                .hasMessageStartingWith("--lock: cannot open " + file + ": No such file or directory (give a file");
    }

    @Test
    void aDirectoryCanBeTheLockAsWithFlock1() {
        JobLock.acquire(libc, dir, Duration.ZERO).close();
    }
}
