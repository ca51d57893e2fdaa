package dev.oomguard.trigger;

import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.ProcFs;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kernel's word of an OOM kill in the job's memory group, which arrives just after the kill:
 * v1 {@code memory.oom_control} through an eventfd, v2 {@code memory.events} through inotify
 * (which also tells of {@code high} and {@code max} events). Its descriptors are polled, drained
 * and closed by the trigger thread.
 */
final class KillWatch {
    private final ProcFs fs;
    private final KernelEvents kernel;
    private final Consumer<String> detail;
    private int oomFd = -1;
    private int inotifyFd = -1;

    KillWatch(ProcFs fs, KernelEvents kernel, Consumer<String> detail) {
        this.fs = fs;
        this.kernel = kernel;
        this.detail = detail;
    }

    /** Sets up the notification for the job {@code jobPid}'s group, if it has one under {@code mounts}. */
    void start(int jobPid, List<CgroupMount> mounts) {
        Optional<OomWatch> watch = CgroupPaths.read(fs, jobPid).flatMap(paths -> OomWatch.of(paths, mounts));
        if (watch.isEmpty()) {
            return;
        }
        String dir = watch.get().dir();
        if (watch.get().version() == CgroupVersion.V1) {
            watchOomControl(dir);
        } else if (fs.exists(dir + "/memory.events")) {
            watchEvents(dir);
        }
    }

    private void watchOomControl(String dir) {
        try {
            int fd = kernel.eventfd();
            try {
                kernel.register(fd, fs.path(dir + "/cgroup.event_control").toString(),
                        fs.path(dir + "/memory.oom_control").toString(), "");
                oomFd = fd;
                detail.accept("OOM kills in " + dir + " are notified at once (memory.oom_control eventfd)");
            } catch (KernelEvents.Failure e) {
                kernel.close(fd);
                detail.accept("no memory.oom_control notification on " + dir + " (" + e.getMessage()
                        + "): kills are found at the next full sample");
            }
        } catch (KernelEvents.Failure e) {
            // no eventfd: nothing to register
        }
    }

    private void watchEvents(String dir) {
        try {
            if (inotifyFd < 0) {
                inotifyFd = kernel.inotify();
            }
            kernel.watch(inotifyFd, fs.path(dir + "/memory.events").toString(), KernelEvents.IN_MODIFY);
            detail.accept("changes of " + dir + "/memory.events (high, max, oom, oom_kill) are notified at once (inotify)");
        } catch (KernelEvents.Failure e) {
            detail.accept("no inotify on " + dir + "/memory.events (" + e.getMessage() + ")");
        }
    }

    /** The v1 {@code memory.oom_control} eventfd, -1 without one. */
    int oomFd() {
        return oomFd;
    }

    /** The inotify descriptor on v2 {@code memory.events}, -1 without one. */
    int inotifyFd() {
        return inotifyFd;
    }

    /** After poll(2) found {@link #oomFd} readable: whether an OOM kill was notified. */
    boolean oomKilled() {
        return kernel.drainEventfd(oomFd) > 0;
    }

    /** After poll(2) found {@link #inotifyFd} readable: its events read, so it is quiet again. */
    void drainEvents() {
        kernel.drainInotify(inotifyFd);
    }

    void close() {
        kernel.close(oomFd);
        kernel.close(inotifyFd);
        oomFd = inotifyFd = -1;
    }
}
