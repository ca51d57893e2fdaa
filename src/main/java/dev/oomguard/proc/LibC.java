package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * libc, loaded through JNA: the handle the other classes of this package make their calls through
 * ({@link Signals}, {@link Children}, {@link Descriptor}, {@link Tty}, {@link PosixSpawn}, ...),
 * and this process's identity. This package is the only place that calls libc; nothing of JNA
 * shows in its public methods. Taking {@link #INSTANCE} loads JNA (after {@link NativeBoot}, through
 * {@link NativeStart}, as a run takes it): where it cannot be loaded, that access throws a
 * {@link LinkageError} (the caller then runs the job unguarded).
 */
public final class LibC {
    public static final LibC INSTANCE = new LibC(NativeStart.load("c", Calls.class));

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_CREAT = 0x40;
    public static final int O_NOCTTY = 0x100;
    public static final int O_APPEND = 0x400;
    public static final int O_EXCL = 0x80;
    /** Not the same number everywhere: 0100000 on ARM, 0400000 on x86 (and most others). */
    public static final int O_NOFOLLOW = com.sun.jna.Platform.isARM() ? 0100000 : 0400000;

    /** The calls, as JNA binds them. Methods that can fail declare {@link LastErrorException}, which carries errno. */
    interface Calls extends Library {
        // Sizes of opaque glibc types, rounded up generously so other architectures fit too.
        int SIGSET_BYTES = 128;
        int SPAWNATTR_BYTES = 1024;
        int FILE_ACTIONS_BYTES = 1024;

        int POSIX_SPAWN_SETPGROUP = 0x02;
        int POSIX_SPAWN_SETSIGDEF = 0x04;
        int POSIX_SPAWN_SETSIGMASK = 0x08;

        int WNOHANG = 1;
        int WUNTRACED = 2;
        int WCONTINUED = 8;

        int PR_SET_CHILD_SUBREAPER = 36;

        int RLIMIT_CORE = 4;

        int SIG_UNBLOCK = 1;

        int LOCK_EX = 2;
        int LOCK_NB = 4;

        int getpid();

        /** glibc 2.30+. */
        int gettid();

        int getppid();

        int getpgrp();

        int geteuid();

        int kill(int pid, int signal) throws LastErrorException;

        int raise(int signal);

        /** _exit(2): the process ends here, with no JVM shutdown. */
        void _exit(int status);

        /**
         * wait4(2): as waitpid, and the child's resource use into {@code rusage} (at least
         * {@link Rusage#LONGS} longs; see {@link Rusage} for the one field read).
         */
        int wait4(int pid, int[] status, int options, long[] rusage) throws LastErrorException;

        int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

        int isatty(int fd);

        int tcgetpgrp(int fd) throws LastErrorException;

        int tcsetpgrp(int fd, int pgrp) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        /** open(2) with a mode for O_CREAT (the umask applies). */
        int open(String path, int flags, int mode) throws LastErrorException;

        /** flock(2): a lock on the open file description, shared by every copy of the descriptor. */
        int flock(int fd, int operation) throws LastErrorException;

        int close(int fd);

        long read(int fd, byte[] buffer, long count) throws LastErrorException;

        long write(int fd, byte[] buffer, long count) throws LastErrorException;

        /** {@code fds}: struct pollfd entries (see {@link PollSet}). */
        int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

        Pointer signal(int signal, Pointer handler);

        int sigemptyset(Pointer set);

        int sigaddset(Pointer set, int signal);

        int pthread_sigmask(int how, Pointer set, Pointer oldset);

        int setrlimit(int resource, long[] rlimit) throws LastErrorException;

        // posix_spawn: these return an error number instead of setting errno.
        int posix_spawnattr_init(Pointer attr);

        int posix_spawnattr_destroy(Pointer attr);

        int posix_spawnattr_setflags(Pointer attr, short flags);

        int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigdefault);

        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int posix_spawn_file_actions_addclose(Pointer actions, int fd);

        int posix_spawnp(int[] pid, Pointer file, Pointer actions, Pointer attr, Pointer argv, Pointer envp);

        int posix_spawn(int[] pid, Pointer path, Pointer actions, Pointer attr, Pointer argv, Pointer envp);
    }

    private final Calls c;

    private LibC(Calls c) {
        this.c = c;
    }

    /** The bound calls, for this package's classes. */
    Calls calls() {
        return c;
    }

    public int getpid() {
        return c.getpid();
    }

    public int getppid() {
        return c.getppid();
    }

    /** This process's process group. */
    public int getpgrp() {
        return c.getpgrp();
    }

    public int geteuid() {
        return c.geteuid();
    }

    /**
     * Ends this process now with {@code status} ({@code _exit(2)}): no shutdown hooks, no wait for
     * the JVM's threads to reach a safepoint. Only for a caller that has closed and flushed what it
     * wrote.
     */
    public void exitNow(int status) {
        c._exit(status);
    }

    /** The calling thread's ID (glibc 2.30+). */
    public int gettid() {
        return c.gettid();
    }

    /** 1 when {@code fd} is a terminal, else 0 (as isatty(3)). */
    public int isatty(int fd) {
        return c.isatty(fd);
    }
}
