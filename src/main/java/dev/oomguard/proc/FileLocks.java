package dev.oomguard.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who holds an {@code flock(2)} lock on a file, from {@code /proc/locks}: the PID that took it
 * (which may have ended since: the lock belongs to the open file, and a process it started can
 * still hold that). Used only to name the holder in a message; anything unreadable gives none.
 */
public final class FileLocks {
    public static final String PATH = "/proc/locks";

    private FileLocks() {
    }

    /** The PIDs that took FLOCK locks on {@code file}, as {@code /proc/locks} names them. */
    public static List<Integer> flockTakers(ProcFs fs, Path file) {
        try {
            long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
            long ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            return fs.readIfPresent(PATH).map(text -> parse(text, dev, ino)).orElse(List.of());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Lines such as {@code 1: FLOCK  ADVISORY  WRITE 1529 fe:00:2154772 0 EOF}; blocked waiters
     * ({@code 1: -> FLOCK ...}) are not holders. {@code stDev} is {@code stat(2)}'s st_dev.
     */
    public static List<Integer> parse(String text, long stDev, long inode) {
        long major = ((stDev >>> 8) & 0xfff) | ((stDev >>> 32) & ~0xfffL);
        long minor = (stDev & 0xff) | ((stDev >>> 12) & ~0xffL);
        List<Integer> pids = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[1].equals("FLOCK")) {
                continue;
            }
            String[] id = f[5].split(":");
            try {
                if (id.length == 3 && Long.parseLong(id[0], 16) == major && Long.parseLong(id[1], 16) == minor
                        && Long.parseLong(id[2]) == inode) {
                    int pid = Integer.parseInt(f[4]);
                    if (pid > 0) {
                        pids.add(pid);
                    }
                }
            } catch (NumberFormatException e) {
                // A line of another shape: not ours.
            }
        }
        return pids;
    }
}
