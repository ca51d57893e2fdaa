package dev.oomguard.proc;

import java.util.Optional;

/** A system call the kernel refused: which call, and errno. No stack trace: it is an answer, not a bug. */
public final class SyscallException extends Exception {
    private final int number;

    public SyscallException(String call, int errno) {
        super(call + ": " + Errno.describe(errno), null, false, false);
        this.number = errno;
    }

    /** errno as the kernel gave it. */
    public int number() {
        return number;
    }

    /** errno by name; empty for a number outside {@link Errno}'s table. */
    public Optional<Errno> errno() {
        return Errno.of(number);
    }

    public boolean is(Errno errno) {
        return number == errno.number();
    }

    /** glibc's words for errno ("Permission denied"). */
    public String meaning() {
        return Errno.describe(number);
    }
}
