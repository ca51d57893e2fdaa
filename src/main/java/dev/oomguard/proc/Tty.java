package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import java.util.OptionalInt;

/** A terminal's foreground process group, as system calls ({@code isatty}, {@code tcgetpgrp}, {@code tcsetpgrp}). */
public final class Tty {
    private final LibC.Calls c;

    public Tty(LibC libc) {
        this.c = libc.calls();
    }

    public boolean isTerminal(int fd) {
        return c.isatty(fd) == 1;
    }

    /** The foreground process group of the terminal at {@code fd}; empty when it is not our controlling terminal, or hung up. */
    public OptionalInt foreground(int fd) {
        try {
            return OptionalInt.of(c.tcgetpgrp(fd));
        } catch (LastErrorException e) {
            return OptionalInt.empty();
        }
    }

    /** Makes {@code group} the foreground group of the terminal at {@code fd}; false when it refuses (hung up). */
    public boolean setForeground(int fd, int group) {
        try {
            c.tcsetpgrp(fd, group);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }
}
