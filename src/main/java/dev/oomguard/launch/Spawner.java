package dev.oomguard.launch;

import dev.oomguard.proc.Errno;
import dev.oomguard.proc.JobCgroup;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.PosixSpawn;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.proc.Signal;
import dev.oomguard.proc.SyscallException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Starts the job with {@code posix_spawnp}, never {@code fork()} (the JVM is multi-threaded):
 * in a process group of its own, with default signal dispositions (except those the caller
 * ignored), the caller's signal mask, only descriptors 0-2 plus those the caller passed, and,
 * when oomguard owns the terminal, the terminal's foreground handed to the job's group inside
 * the child before exec (glibc 2.35+), so its first read cannot get SIGTTIN.
 */
public final class Spawner {
    private final PosixSpawn posix;
    private final SelfFiles self;

    public Spawner(LibC libc, SelfFiles self) {
        this.posix = new PosixSpawn(libc);
        this.self = self;
    }

    /** What to start and how. {@code terminalFd} is -1 when the job does not get the terminal. */
    public record Request(List<byte[]> argv, List<byte[]> environment, CallerContext caller, int terminalFd,
            Optional<JobCgroup> cgroup) {
        public Request {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("no command");
            }
            argv = List.copyOf(argv);
            environment = List.copyOf(environment);
        }
    }

    /** The job's PID (also its process group). */
    public int spawn(Request request) {
        if (request.cgroup().isEmpty()) {
            return spawnHere(request);
        }
        JobCgroup group = request.cgroup().get();
        try {
            group.enterThread();
        } catch (IOException e) {
            throw new PlacementFailure("--memory-max: cannot join " + group.directory() + ": " + e.getMessage());
        }
        try {
            return spawnHere(request); // the child inherits this thread's cgroup
        } finally {
            try {
                group.leaveThread();
            } catch (IOException e) {
                // This thread stays in the job's group; oomguard's memory is then counted with the job's.
            }
        }
    }

    private int spawnHere(Request request) {
        int error = attempt(request, request.argv(), true);
        if (error == Errno.ENOEXEC.number()) {
            // A script without "#!": run it with /bin/sh, as execvp(3), env(1) and shells do.
            Optional<String> path = resolve(request.argv().get(0), request.environment());
            if (path.isPresent()) {
                List<byte[]> shArgv = new ArrayList<>();
                shArgv.add("/bin/sh".getBytes(StandardCharsets.US_ASCII));
                shArgv.add(path.get().getBytes(StandardCharsets.UTF_8));
                shArgv.addAll(request.argv().subList(1, request.argv().size()));
                error = attempt(request, shArgv, false);
            }
        }
        if (error == Errno.EACCES.number() && resolve(request.argv().get(0), request.environment()).isEmpty()
                && !new String(request.argv().get(0), StandardCharsets.UTF_8).contains("/")) {
            // A PATH directory we may not search gave EACCES, but nothing by that name exists where
            // we can look: a shell says "not found" (127) here, and so do we.
            error = Errno.ENOENT.number();
        }
        if (error > 0) {
            throw new SpawnFailure(error, new String(request.argv().get(0), StandardCharsets.UTF_8),
                    Errno.describe(error));
        }
        return -error;
    }

    /** Returns -pid on success, or the error number. */
    private int attempt(Request request, List<byte[]> argv, boolean searchPath) {
        // Every signal the caller did not ignore goes back to its default action (KILL and STOP have no other).
        long ignored = request.caller().ignoredSignals();
        long defaults = ~ignored & ~(1L << (Signal.KILL.number() - 1)) & ~(1L << (Signal.STOP.number() - 1));
        PosixSpawn.Setup setup = new PosixSpawn.Setup(defaults, 0, // an empty mask, as tini and dumb-init give
                toClose(request.caller()), posix.closesFrom() ? highestKept(request.caller()) + 1 : -1,
                request.terminalFd() >= 0 && posix.handsTerminal() ? request.terminalFd() : -1);
        try {
            return -posix.spawn(argv.get(0), searchPath, argv, request.environment(), setup);
        } catch (SyscallException e) {
            return e.number();
        }
    }

    /** Whether the child itself takes the terminal before exec; otherwise the parent must. */
    public boolean handsTerminalInChild() {
        return posix.handsTerminal();
    }

    /** Descriptors above 2 the job must not inherit, up to the highest it keeps (all of them without closefrom). */
    private List<Integer> toClose(CallerContext caller) {
        int highestKept = highestKept(caller);
        if (posix.closesFrom() && highestKept <= 2) {
            return List.of(); // closefrom(3) takes them all: no listing of /proc/self/fd before the spawn
        }
        SortedSet<Integer> open = self.openFds();
        List<Integer> close = new ArrayList<>();
        for (int fd : open) {
            boolean below = fd <= highestKept || !posix.closesFrom();
            if (fd > 2 && below && !caller.passedFds().contains(fd)) {
                close.add(fd);
            }
        }
        return close;
    }

    private static int highestKept(CallerContext caller) {
        return caller.passedFds().stream().mapToInt(Integer::intValue).max().orElse(2);
    }

    private static Optional<String> resolve(byte[] name, List<byte[]> environment) {
        String command = new String(name, StandardCharsets.UTF_8);
        if (command.contains("/")) {
            return Optional.of(command);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":", -1)) {
            File f = new File(dir.isEmpty() ? "." : dir, command);
            if (f.isFile() && f.canExecute()) {
                return Optional.of(f.getPath());
            }
        }
        return Optional.empty();
    }

    /** The job could not be placed where it was asked to run (oomguard's own error, 125). */
    public static final class PlacementFailure extends RuntimeException {
        PlacementFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** The command could not be started; carries errno so the caller picks 126 or 127. */
    public static final class SpawnFailure extends RuntimeException {
        private final int errno;

        SpawnFailure(int errno, String command, String reason) {
            super("cannot run '" + command + "': " + reason, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }

        /** 127 when nothing by that name exists, 126 when it exists but cannot be executed. */
        public int exitStatus() {
            return errno == Errno.ENOENT.number() ? 127 : 126;
        }
    }
}
