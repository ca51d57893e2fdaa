package dev.oomguard.launch;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.oomguard.proc.JobCgroup;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.SelfFiles;
import java.io.File;
import java.io.IOException;
import java.lang.ref.Reference;
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
    private final LibC libc;
    private final SelfFiles self;
    private final Optional<Function> addTcsetpgrp;
    private final Optional<Function> addClosefrom;

    public Spawner(LibC libc, SelfFiles self) {
        this.libc = libc;
        this.self = self;
        NativeLibrary c = NativeLibrary.getInstance("c");
        this.addTcsetpgrp = optionalFunction(c, "posix_spawn_file_actions_addtcsetpgrp_np");
        this.addClosefrom = optionalFunction(c, "posix_spawn_file_actions_addclosefrom_np");
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
        if (error == LibC.ENOEXEC) {
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
        if (error == LibC.EACCES && resolve(request.argv().get(0), request.environment()).isEmpty()
                && !new String(request.argv().get(0), StandardCharsets.UTF_8).contains("/")) {
            // A PATH directory we may not search gave EACCES, but nothing by that name exists where
            // we can look: a shell says "not found" (127) here, and so do we.
            error = LibC.ENOENT;
        }
        if (error > 0) {
            throw new SpawnFailure(error, new String(request.argv().get(0), StandardCharsets.UTF_8),
                    libc.strerror(error));
        }
        return -error;
    }

    /** Returns -pid on success, or the error number. */
    private int attempt(Request request, List<byte[]> argv, boolean searchPath) {
        List<Memory> keepAlive = new ArrayList<>();
        Memory argvArray = cStringArray(argv, keepAlive);
        Memory envArray = cStringArray(request.environment(), keepAlive);
        Memory file = cString(argv.get(0));
        Memory attr = new Memory(LibC.SPAWNATTR_BYTES);
        Memory actions = new Memory(LibC.FILE_ACTIONS_BYTES);
        Memory sigdefault = new Memory(LibC.SIGSET_BYTES);
        Memory sigmask = new Memory(LibC.SIGSET_BYTES);
        check(libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
        check(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            short flags = (short) (LibC.POSIX_SPAWN_SETPGROUP | LibC.POSIX_SPAWN_SETSIGDEF
                    | LibC.POSIX_SPAWN_SETSIGMASK);
            check(libc.posix_spawnattr_setflags(attr, flags), "setflags");
            check(libc.posix_spawnattr_setpgroup(attr, 0), "setpgroup");
            // Bits are written directly: glibc's sigaddset refuses its internal signals 32 and 33,
            // and a set without them would leave them ignored in the job.
            long ignored = request.caller().ignoredSignals();
            long defaults = ~ignored & ~(1L << (9 - 1)) & ~(1L << (19 - 1));
            writeSigset(sigdefault, defaults);
            check(libc.posix_spawnattr_setsigdefault(attr, sigdefault), "setsigdefault");
            writeSigset(sigmask, 0); // an empty mask, as tini and dumb-init give
            check(libc.posix_spawnattr_setsigmask(attr, sigmask), "setsigmask");
            closeAllBut(actions, request.caller());
            if (request.terminalFd() >= 0 && addTcsetpgrp.isPresent()) {
                check(addTcsetpgrp.get().invokeInt(new Object[] {actions, request.terminalFd()}),
                        "addtcsetpgrp");
            }
            int[] pid = new int[1];
            int rc = searchPath
                    ? libc.posix_spawnp(pid, file, actions, attr, argvArray, envArray)
                    : libc.posix_spawn(pid, file, actions, attr, argvArray, envArray);
            return rc != 0 ? rc : -pid[0];
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            libc.posix_spawnattr_destroy(attr);
            // The argument strings are reached only through native pointers: keep them alive.
            Reference.reachabilityFence(keepAlive);
            Reference.reachabilityFence(file);
            Reference.reachabilityFence(argvArray);
            Reference.reachabilityFence(envArray);
        }
    }

    private static void writeSigset(Memory set, long signals1to64) {
        set.clear();
        set.setLong(0, signals1to64); // bit N-1 is signal N (little and big endian alike for one long)
    }

    /** Whether the child itself takes the terminal before exec; otherwise the parent must. */
    public boolean handsTerminalInChild() {
        return addTcsetpgrp.isPresent();
    }

    private void closeAllBut(Memory actions, CallerContext caller) {
        SortedSet<Integer> open = self.openFds();
        int highestKept = caller.passedFds().stream().mapToInt(Integer::intValue).max().orElse(2);
        for (int fd : open) {
            boolean below = fd <= highestKept || addClosefrom.isEmpty();
            if (fd > 2 && below && !caller.passedFds().contains(fd)) {
                libc.posix_spawn_file_actions_addclose(actions, fd);
            }
        }
        if (addClosefrom.isPresent()) {
            check(addClosefrom.get().invokeInt(new Object[] {actions, highestKept + 1}), "addclosefrom");
        }
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

    private static Memory cString(byte[] bytes) {
        Memory m = new Memory(bytes.length + 1L);
        m.write(0, bytes, 0, bytes.length);
        m.setByte(bytes.length, (byte) 0);
        return m;
    }

    private static Memory cStringArray(List<byte[]> strings, List<Memory> keepAlive) {
        Memory array = new Memory((long) (strings.size() + 1) * Native.POINTER_SIZE);
        for (int i = 0; i < strings.size(); i++) {
            Memory s = cString(strings.get(i));
            keepAlive.add(s);
            array.setPointer((long) i * Native.POINTER_SIZE, s);
        }
        array.setPointer((long) strings.size() * Native.POINTER_SIZE, Pointer.NULL);
        return array;
    }

    private static Optional<Function> optionalFunction(NativeLibrary lib, String name) {
        try {
            return Optional.of(lib.getFunction(name));
        } catch (UnsatisfiedLinkError e) {
            return Optional.empty();
        }
    }

    private void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: " + libc.strerror(rc));
        }
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
            return errno == LibC.ENOENT ? 127 : 126;
        }
    }
}
