package dev.oomguard.proc;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code posix_spawn(3)} and {@code posix_spawnp(3)} with their attributes and file actions: the
 * C structures, strings and arrays the call wants are made and freed here. What to close, which
 * signals to reset and whether to search {@code PATH} is the caller's to decide.
 */
public final class PosixSpawn {
    /**
     * What the child gets before {@code exec}, besides a process group of its own.
     *
     * @param defaultSignals     signals reset to their default action: bit N-1 is signal N
     * @param signalMask         the child's signal mask, the same way
     * @param close              descriptors to close
     * @param closeFrom          close every descriptor from this one up ({@link #closesFrom()}); -1: none
     * @param foregroundTerminal the terminal whose foreground the child's group takes
     *                           ({@link #handsTerminal()}); -1: none
     */
    public record Setup(long defaultSignals, long signalMask, List<Integer> close, int closeFrom,
            int foregroundTerminal) {
        public Setup {
            close = List.copyOf(close);
        }
    }

    private final LibC.Calls c;
    private final Optional<Function> addTcsetpgrp;
    private final Optional<Function> addClosefrom;

    public PosixSpawn(LibC libc) {
        this.c = libc.calls();
        NativeLibrary lib = NativeStart.library("c");
        this.addTcsetpgrp = optionalFunction(lib, "posix_spawn_file_actions_addtcsetpgrp_np");
        this.addClosefrom = optionalFunction(lib, "posix_spawn_file_actions_addclosefrom_np");
    }

    /** Whether the child can take a terminal's foreground itself before exec (glibc 2.35+). */
    public boolean handsTerminal() {
        return addTcsetpgrp.isPresent();
    }

    /** Whether the child can close every descriptor from one up (glibc 2.34+). */
    public boolean closesFrom() {
        return addClosefrom.isPresent();
    }

    /**
     * Starts {@code argv} with {@code environment}: {@code file} found in {@code PATH} when
     * {@code searchPath} (posix_spawnp), else a path (posix_spawn).
     *
     * @return the child's PID (also its process group)
     * @throws SyscallException with the error number posix_spawn returned (ENOENT, EACCES, ENOEXEC, ...)
     */
    public int spawn(byte[] file, boolean searchPath, List<byte[]> argv, List<byte[]> environment, Setup setup)
            throws SyscallException {
        List<Memory> keepAlive = new ArrayList<>();
        Memory argvArray = cStringArray(argv, keepAlive);
        Memory envArray = cStringArray(environment, keepAlive);
        Memory path = cString(file);
        Memory attr = new Memory(LibC.Calls.SPAWNATTR_BYTES);
        Memory actions = new Memory(LibC.Calls.FILE_ACTIONS_BYTES);
        Memory sigdefault = new Memory(LibC.Calls.SIGSET_BYTES);
        Memory sigmask = new Memory(LibC.Calls.SIGSET_BYTES);
        check(c.posix_spawnattr_init(attr), "posix_spawnattr_init");
        check(c.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            short flags = (short) (LibC.Calls.POSIX_SPAWN_SETPGROUP | LibC.Calls.POSIX_SPAWN_SETSIGDEF
                    | LibC.Calls.POSIX_SPAWN_SETSIGMASK);
            check(c.posix_spawnattr_setflags(attr, flags), "setflags");
            check(c.posix_spawnattr_setpgroup(attr, 0), "setpgroup");
            // Bits are written directly: glibc's sigaddset refuses its internal signals 32 and 33,
            // and a set without them would leave them ignored in the job.
            writeSigset(sigdefault, setup.defaultSignals());
            check(c.posix_spawnattr_setsigdefault(attr, sigdefault), "setsigdefault");
            writeSigset(sigmask, setup.signalMask());
            check(c.posix_spawnattr_setsigmask(attr, sigmask), "setsigmask");
            for (int fd : setup.close()) {
                c.posix_spawn_file_actions_addclose(actions, fd);
            }
            if (setup.closeFrom() >= 0) {
                Function closeFrom = addClosefrom.orElseThrow(() -> new IllegalStateException("no addclosefrom here"));
                check(closeFrom.invokeInt(new Object[] {actions, setup.closeFrom()}), "addclosefrom");
            }
            if (setup.foregroundTerminal() >= 0) {
                Function tcsetpgrp = addTcsetpgrp.orElseThrow(() -> new IllegalStateException("no addtcsetpgrp here"));
                check(tcsetpgrp.invokeInt(new Object[] {actions, setup.foregroundTerminal()}), "addtcsetpgrp");
            }
            int[] pid = new int[1];
            int rc = searchPath
                    ? c.posix_spawnp(pid, path, actions, attr, argvArray, envArray)
                    : c.posix_spawn(pid, path, actions, attr, argvArray, envArray);
            if (rc != 0) {
                throw new SyscallException(searchPath ? "posix_spawnp" : "posix_spawn", rc);
            }
            return pid[0];
        } finally {
            c.posix_spawn_file_actions_destroy(actions);
            c.posix_spawnattr_destroy(attr);
            // The argument strings are reached only through native pointers: keep them alive.
            Reference.reachabilityFence(keepAlive);
            Reference.reachabilityFence(path);
            Reference.reachabilityFence(argvArray);
            Reference.reachabilityFence(envArray);
        }
    }

    private static void writeSigset(Memory set, long signals1to64) {
        set.clear();
        set.setLong(0, signals1to64); // bit N-1 is signal N (little and big endian alike for one long)
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

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: " + Errno.describe(rc));
        }
    }
}
