package dev.oomguard.watch;

import dev.oomguard.proc.PidFd;
import dev.oomguard.proc.ProcFs;
import java.time.Duration;
import java.util.Optional;

/**
 * Notices the end of a process oomguard did not start (it cannot wait for it): through a pidfd
 * and poll(2) where the kernel has them (Linux 5.3+), else by looking at {@code /proc/PID} every
 * {@link #FALLBACK_POLL} (its start time tells a reused PID from the job).
 */
final class JobEnd implements AutoCloseable {
    static final Duration FALLBACK_POLL = Duration.ofMillis(200);

    private final ProcFs fs;
    private final WatchedProcess job;
    private final Optional<PidFd> pidfd;
    private volatile boolean ended;

    private JobEnd(ProcFs fs, WatchedProcess job, Optional<PidFd> pidfd) {
        this.fs = fs;
        this.job = job;
        this.pidfd = pidfd;
    }

    /** Empty when the process has already gone (or its PID now names another process). */
    static Optional<JobEnd> open(ProcFs fs, WatchedProcess job) {
        // -Doomguard.pidfd=off (through OOMGUARD_JVM_FLAGS) takes the fallback, as on a kernel before 5.3.
        PidFd.Opened opened = "off".equals(System.getProperty("oomguard.pidfd"))
                ? new PidFd.Opened(Optional.empty(), Optional.of(PidFd.Unavailable.NOT_SUPPORTED))
                : PidFd.open(job.pid());
        if (opened.unavailable().filter(u -> u == PidFd.Unavailable.NO_SUCH_PROCESS).isPresent()) {
            return Optional.empty();
        }
        JobEnd end = new JobEnd(fs, job, opened.pidfd());
        // The pidfd is taken after the job was identified: make sure it names the same process.
        if (!job.alive(fs)) {
            end.close();
            return Optional.empty();
        }
        return Optional.of(end);
    }

    /** Whether the end is seen through a pidfd (else by polling /proc). */
    boolean viaPidfd() {
        return pidfd.isPresent();
    }

    /** Waits up to {@code timeout}; true once the job has ended. */
    boolean await(Duration timeout) {
        if (ended) {
            return true;
        }
        if (pidfd.isPresent()) {
            ended = pidfd.get().awaitExit(timeout);
        } else {
            ended = !job.alive(fs);
            if (!ended) {
                sleep(timeout.compareTo(FALLBACK_POLL) < 0 ? timeout : FALLBACK_POLL);
                ended = !job.alive(fs);
            }
        }
        return ended;
    }

    /** Whether it has ended, without waiting. */
    boolean ended() {
        return await(Duration.ZERO);
    }

    /**
     * Signals the job's main process alone: through the pidfd (never a reused PID), or by PID after
     * checking its start time. False when it has ended.
     */
    boolean signal(dev.oomguard.proc.Signals signals, int signal) {
        if (pidfd.isPresent()) {
            return pidfd.get().signal(signal);
        }
        if (!job.alive(fs)) {
            return false;
        }
        try {
            signals.kill(job.pid(), signal);
            return true;
        } catch (dev.oomguard.proc.SyscallException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pidfd.ifPresent(PidFd::close);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
