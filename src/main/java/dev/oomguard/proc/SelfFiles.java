package dev.oomguard.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.SortedSet;

/**
 * This process's own {@code /proc/self} files, read as raw bytes: the JVM decodes its
 * arguments and environment with the locale's charset, which loses bytes under {@code LANG=C},
 * and the job must get them exactly as the caller wrote them.
 */
public final class SelfFiles {
    private final Path self;

    public SelfFiles(Path procRoot) {
        this.self = procRoot.resolve("self");
    }

    public static SelfFiles live() {
        return new SelfFiles(Path.of("/proc"));
    }

    /** {@code /proc/self/cmdline}, one entry per argument; empty when unreadable. */
    public Optional<List<byte[]>> cmdline() {
        return readNulSeparated(self.resolve("cmdline"));
    }

    /** {@code /proc/self/environ}: the environment this process was started with. */
    public Optional<List<byte[]>> environ() {
        return readNulSeparated(self.resolve("environ"));
    }

    /**
     * The NUL-separated contents of the file open on descriptor {@code fd}, read from its start
     * through {@code /proc/self/fd} (which opens the file afresh, even when it is unlinked).
     */
    public Optional<List<byte[]>> descriptorContents(int fd) {
        return readNulSeparated(self.resolve("fd").resolve(Integer.toString(fd)));
    }

    /** Open descriptor numbers, from {@code /proc/self/fd}. */
    public SortedSet<Integer> openFds() {
        SortedSet<Integer> fds = new TreeSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(self.resolve("fd"))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && digits(name)) {
                    fds.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            // No /proc: the caller falls back to closing a fixed range.
        }
        return fds;
    }

    /** Every char a digit ({@link Character#isDigit}); a loop, not a stream: read before the job starts. */
    private static boolean digits(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (!Character.isDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<List<byte[]>> readNulSeparated(Path path) {
        try {
            return Optional.of(splitNul(Files.readAllBytes(path)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Splits {@code a\0b\0} into {@code [a, b]}; a missing final NUL is tolerated. */
    public static List<byte[]> splitNul(byte[] data) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                parts.add(Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        if (start < data.length) {
            parts.add(Arrays.copyOfRange(data, start, data.length));
        }
        return parts;
    }
}
