package dev.oomguard.proc;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a file oomguard writes in place ({@code --record}, {@code --log}) without being led
 * elsewhere: {@code open(2)} with {@code O_NOFOLLOW} (a symbolic link at the name is refused, not
 * followed), {@code O_NONBLOCK} (a FIFO does not hang the run) and no {@code O_TRUNC}; then the
 * open file itself, through {@code /proc/self/fd/N}, must be a regular file with one link (not a
 * device, a FIFO, or a hard link to someone else's file). Only then is it truncated (or appended
 * to), through a stream on that same open file.
 */
public final class NoFollowOpen {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private NoFollowOpen() {
    }

    /**
     * @param append keep what is there and add at its end (else: start it empty)
     * @throws IOException with a message in words (what is at the path, or the system's reason)
     */
    public static FileOutputStream open(LibC libc, Path path, boolean append) throws IOException {
        int flags = LibC.O_WRONLY | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC
                | (append ? LibC.O_APPEND : 0);
        Descriptor file;
        try {
            file = Descriptor.open(libc, path.toString(), flags, 0666);
        } catch (SyscallException e) {
            throw new IOException(switch (e.errno().orElse(Errno.EINVAL)) {
                case ELOOP -> "it is a symbolic link (give the path of a regular file)";
                case ENXIO -> "it is a FIFO or a socket, not a regular file";
                case EISDIR -> "it is a directory";
                default -> e.meaning();
            });
        }
        try {
            Path opened = Path.of("/proc/self/fd/" + file.fd());
            Map<String, Object> a = Files.readAttributes(opened, "unix:mode,nlink");
            int mode = (Integer) a.get("mode");
            int links = (Integer) a.get("nlink");
            if ((mode & S_IFMT) != S_IFREG) {
                throw new IOException("it is " + kind(mode) + ", not a regular file");
            }
            if (links > 1) {
                throw new IOException("it has " + links + " hard links (another name may be someone else's file)");
            }
            // The same open file, whatever has happened to the name since: a second open of it.
            return new FileOutputStream(opened.toString(), append);
        } finally {
            file.close();
        }
    }

    /** "a directory", "a character device", ... for {@code st_mode}. */
    public static String kind(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "a regular file";
            case 0040000 -> "a directory";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0010000 -> "a FIFO";
            case 0140000 -> "a socket";
            case 0120000 -> "a symbolic link";
            default -> "not a regular file";
        };
    }
}
