package dev.oomguard.launch;

import dev.oomguard.proc.LibC;
import dev.oomguard.proc.Tty;
import java.util.Optional;

/**
 * The controlling terminal, when oomguard runs in its foreground: the job's process group is
 * made the foreground group (as a shell does), so the terminal's Ctrl-C, Ctrl-\ and Ctrl-Z
 * reach the job alone and once; oomguard takes the terminal back when the job stops or ends.
 */
public final class Terminal {
    private final LibC libc;
    private final Tty tty;
    private final int fd;

    private Terminal(LibC libc, Tty tty, int fd) {
        this.libc = libc;
        this.tty = tty;
        this.fd = fd;
    }

    /** The first of stdin, stdout, stderr that is a terminal whose foreground is our group. */
    public static Optional<Terminal> detect(LibC libc) {
        int ourGroup = libc.getpgrp();
        Tty tty = new Tty(libc);
        for (int fd = 0; fd <= 2; fd++) {
            if (tty.isTerminal(fd)) {
                if (tty.foreground(fd).orElse(-1) == ourGroup) {
                    return Optional.of(new Terminal(libc, tty, fd));
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public int fd() {
        return fd;
    }

    /** Whether our own group is in the foreground (after a shell's {@code fg}). */
    public boolean weAreForeground() {
        return foreground() == libc.getpgrp();
    }

    /** The current foreground group, or -1 when the terminal is gone (hung up). */
    public int foreground() {
        return tty.foreground(fd).orElse(-1);
    }

    /** Makes {@code group} the foreground group; false when the terminal refuses (hung up). */
    public boolean giveTo(int group) {
        return tty.setForeground(fd, group);
    }

    public boolean takeBack() {
        return giveTo(libc.getpgrp());
    }
}
