package dev.oomguard.launch;

import dev.oomguard.proc.Descriptor;
import dev.oomguard.proc.Errno;
import dev.oomguard.proc.FileLocks;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code --lock FILE}: an exclusive {@code flock(2)} on FILE, taken before the job starts, so
 * that two runs never overlap (a cron line that fires again while the last run still works).
 * The same lock {@code flock(1)} takes, so the two interoperate. The descriptor is opened
 * without close-on-exec and handed to the job like a descriptor the caller passed: the lock
 * belongs to the open file, so it stays held while any holder of that file runs, oomguard or
 * the job, and a SIGKILL of oomguard does not release it while the job works on.
 */
public final class JobLock implements AutoCloseable {
    /** EX_TEMPFAIL (sysexits.h): another run holds the lock; try again later. */
    public static final int BUSY_STATUS = 75;

    private static final long POLL_NANOS = Duration.ofMillis(100).toNanos();

    private final Path path;
    private final Descriptor file;

    private JobLock(Path path, Descriptor file) {
        this.path = path;
        this.file = file;
    }

    /** Another run holds the lock (after waiting {@code --lock-wait}, if given). */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** The lock file cannot be opened or locked (oomguard's own error, 125). */
    public static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /** Waits for time to pass; a seam for tests. */
    public interface Sleeper {
        void sleepNanos(long nanos);
    }

    /**
     * Takes the lock, waiting up to {@code wait} for the run that holds it (zero: not at all).
     *
     * @throws Busy when another run holds it
     * @throws Unusable when FILE cannot be opened or flock fails for another reason
     */
    public static JobLock acquire(LibC libc, Path path, Duration wait, LongSupplier nanos, Sleeper sleeper) {
        Descriptor file = open(libc, path);
        long deadline = nanos.getAsLong() + wait.toNanos();
        while (true) {
            try {
                if (file.tryLockExclusive()) {
                    return new JobLock(path, file);
                }
            } catch (SyscallException e) {
                file.close();
                throw new Unusable("--lock: cannot lock " + path + ": " + e.meaning());
            }
            long left = deadline - nanos.getAsLong();
            if (left <= 0) {
                file.close();
                String waited = wait.isZero() ? "" : "waited " + dev.oomguard.units.Durations.format(wait);
                String notes = String.join("; ", java.util.stream.Stream.of(holder(path), waited)
                        .filter(n -> !n.isEmpty()).toList());
                throw new Busy("another run holds the lock " + path + (notes.isEmpty() ? "" : " (" + notes + ")")
                        + "; the command was not started (exit status " + BUSY_STATUS + ")");
            }
            sleeper.sleepNanos(Math.min(left, POLL_NANOS));
        }
    }

    /** "PID N", or "taken by PID N, which has ended: a process it started holds it", or nothing. */
    static String holder(Path path) {
        List<Integer> takers = FileLocks.flockTakers(ProcFs.system(), path);
        if (takers.size() != 1) {
            return "";
        }
        int pid = takers.get(0);
        return Files.exists(Path.of("/proc/" + pid)) ? "PID " + pid
                : "taken by PID " + pid + ", which has ended: a process it started holds it";
    }

    /** Takes the lock with the real clock. */
    public static JobLock acquire(LibC libc, Path path, Duration wait) {
        return acquire(libc, path, wait, System::nanoTime, n -> {
            try {
                Thread.sleep(n / 1_000_000, (int) (n % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** As flock(1) does: created if missing (mode 0666 less the umask), read-only; a directory works too. */
    private static Descriptor open(LibC libc, Path path) {
        String name = path.toString();
        try {
            // Created only at the name itself: a symbolic link there (another user's, in /tmp) is not
            // followed to create a file where it points; an existing file it leads to is locked, as flock(1) would.
            return Descriptor.open(libc, name, LibC.O_RDONLY | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_NOCTTY, 0666);
        } catch (SyscallException e) {
            boolean link = e.is(Errno.ELOOP);
            if (e.is(Errno.EISDIR) || link) {
                try {
                    return Descriptor.open(libc, name, LibC.O_RDONLY | LibC.O_NOCTTY);
                } catch (SyscallException again) {
                    e = again;
                }
            }
            String why = link && e.is(Errno.ENOENT)
                    ? "it is a symbolic link to nothing, and oomguard does not create a file through a link"
                    : e.meaning();
            throw new Unusable("--lock: cannot open " + path + ": " + why
                    + " (give a file in a directory you can write, e.g. $HOME/.cache/NAME.lock or /run/lock/NAME.lock)");
        }
    }

    public Path path() {
        return path;
    }

    /** The descriptor that holds the lock; the job inherits it. */
    public int fd() {
        return file.fd();
    }

    /** Closes oomguard's copy (the lock is released once no copy is left, the job's included). */
    @Override
    public void close() {
        file.close();
    }
}
