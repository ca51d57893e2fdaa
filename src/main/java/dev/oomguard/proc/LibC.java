package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls oomguard makes, through JNA. This package is the only place that calls libc.
 * Methods that can fail declare {@link LastErrorException}, which carries errno.
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

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
    int PR_SET_DUMPABLE = 4;

    int RLIMIT_CORE = 4;

    int SIG_BLOCK = 0;
    int SIG_UNBLOCK = 1;
    int SIG_SETMASK = 2;

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;
    int O_CREAT = 0x40;
    int O_NOCTTY = 0x100;
    int O_APPEND = 0x400;
    int O_EXCL = 0x80;
    /** Not the same number everywhere: 0100000 on ARM, 0400000 on x86 (and most others). */
    int O_NOFOLLOW = com.sun.jna.Platform.isARM() ? 0100000 : 0400000;

    int LOCK_EX = 2;
    int LOCK_NB = 4;
    int LOCK_UN = 8;

    int EINTR = 4;
    int ECHILD = 10;
    int EAGAIN = 11;
    int EPIPE = 32;
    int ESRCH = 3;
    int ENOENT = 2;
    int EACCES = 13;
    int ENOEXEC = 8;
    int EPERM = 1;
    int EISDIR = 21;
    int ENXIO = 6;
    int ELOOP = 40;
    int EEXIST = 17;

    int getpid();

    /** glibc 2.30+. */
    int gettid();

    int getppid();

    int getpgrp();

    int geteuid();

    int kill(int pid, int signal) throws LastErrorException;

    int raise(int signal);

    int waitpid(int pid, int[] status, int options) throws LastErrorException;

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

    int eventfd(int initval, int flags) throws LastErrorException;

    Pointer signal(int signal, Pointer handler);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int sigaddset(Pointer set, int signal);

    int sigdelset(Pointer set, int signal);

    int pthread_sigmask(int how, Pointer set, Pointer oldset);

    int setrlimit(int resource, long[] rlimit) throws LastErrorException;

    String strerror(int errnum);

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
