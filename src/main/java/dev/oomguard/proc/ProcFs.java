package dev.oomguard.proc;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The file system under {@code /proc} and {@code /sys}, rooted at an injectable path so tests read
 * fixture trees. Owns the distinction between "the file is gone" (a process exited: normal) and
 * "the file cannot be read" (a real error).
 */
public final class ProcFs {
    private final Path root;
    /** The root as a file name prefix, without a trailing '/' (empty for the live system). */
    private final String prefix;
    /** One read buffer per thread that reads: a tick reads hundreds of small files. */
    private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[4096]);

    public ProcFs(Path root) {
        this.root = root;
        String r = root.toString();
        this.prefix = r.isEmpty() ? "." : r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    /** The live system, rooted at {@code /}. */
    public static ProcFs system() {
        return new ProcFs(Path.of("/"));
    }

    public Path root() {
        return root;
    }

    /** Where an absolute path such as {@code /proc/meminfo} lives under this root. */
    public Path path(String absolute) {
        int start = 0;
        while (start < absolute.length() && absolute.charAt(start) == '/') {
            start++;
        }
        String relative = absolute.substring(start);
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /**
     * As {@code path(absolute).toString()}, without making a Path: the name a reader opens, and
     * gives in its messages (made for every file a tick reads).
     */
    public String name(String absolute) {
        return absolute.startsWith("/") ? prefix + absolute : prefix + "/" + absolute;
    }

    /** A file that must exist ({@code /proc/meminfo}); a failure is an error naming the path. */
    public String read(String absolute) {
        return readIfPresent(absolute).orElseThrow(() ->
                new UncheckedIOException(new NoSuchFileException(path(absolute).toString())));
    }

    /**
     * A file that may be missing (a process that exited, {@code memory.memsw.*} without swap
     * accounting): empty then. Reading a process file whose process exits meanwhile fails with
     * ESRCH, which also means "gone".
     */
    public Optional<String> readIfPresent(String absolute) {
        // FileInputStream by name and the thread's buffer: fewer system calls than
        // Files.newInputStream + readAllBytes, no Path and no buffer made per file, which counts
        // when a tick reads hundreds of small files
        try (InputStream in = new FileInputStream(name(absolute))) {
            byte[] buffer = buffers.get();
            int length = 0;
            for (int n; (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                length += n;
                if (length == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                    buffers.set(buffer);
                }
            }
            return Optional.of(new String(buffer, 0, length, StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            Path p = path(absolute);
            if (!Files.exists(p)) {
                return Optional.empty();
            }
            if (vanished(e)) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (vanished(e)) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + path(absolute) + ": " + e.getMessage(), e);
        }
    }

    /** {@code /proc/PID/NAME}, empty when the process is gone. */
    public Optional<String> readProcess(int pid, String name) {
        return readIfPresent("/proc/" + pid + "/" + name);
    }

    /** The numeric entries of {@code /proc}: every process (thread group) alive at this instant. */
    public List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path("/proc"))) {
            dir.forEach(entry -> { // per entry in a lambda: compiled soon, unlike a loop run once per tick
                int pid = pidOf(entry.getFileName().toString());
                if (pid > 0) {
                    pids.add(pid);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path("/proc") + ": " + e.getMessage(), e);
        }
        return pids;
    }

    /**
     * What {@code String.split("\\s+")} would compile again for every file (a look at our children
     * reads one per thread), compiled once, when first needed.
     */
    private static final class Whitespace {
        static final Pattern RUNS = Pattern.compile("\\s+");
    }

    /**
     * The children of {@code pid}, from {@code /proc/PID/task/TID/children} (one small read per
     * thread instead of a scan of every process); empty when the process has gone. Falls back to
     * a scan of every process's parent where the kernel lacks CONFIG_PROC_CHILDREN.
     */
    public List<Integer> children(int pid) {
        List<Integer> out = new ArrayList<>();
        boolean anyChildrenFile = false;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path("/proc/" + pid + "/task"))) {
            for (Path task : dir) {
                String text;
                try {
                    text = Files.readString(task.resolve("children"));
                } catch (IOException e) {
                    continue; // the thread ended, or no such file
                }
                anyChildrenFile = true;
                for (String word : Whitespace.RUNS.split(text.trim())) {
                    if (!word.isEmpty()) {
                        out.add(Integer.parseInt(word));
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        if (!anyChildrenFile) {
            for (int other : pids()) {
                try {
                    PidStat.read(this, other).filter(s -> s.ppid() == pid).ifPresent(s -> out.add(s.pid()));
                } catch (RuntimeException e) {
                    // unreadable or malformed: not ours to judge here
                }
            }
        }
        return out;
    }

    /** The PID a {@code /proc} entry names; -1 for any other entry ({@code self}, {@code meminfo}). */
    static int pidOf(String name) {
        if (name.isEmpty() || name.length() > 9) {
            return -1; // PIDs stop at 2^22
        }
        int pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    public boolean exists(String absolute) {
        return Files.exists(path(absolute));
    }

    private static boolean vanished(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No such process") || message.contains("No such file");
    }

    @Override
    public String toString() {
        return "ProcFs[" + root + "]";
    }
}
