package dev.oomguard.proc;

import dev.oomguard.units.ByteSize;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory cgroup made for the job ({@code --memory-max}): a child of oomguard's own memory
 * cgroup with a hard limit. The job joins it before its first instruction: the thread that
 * starts the job moves itself in (cgroup v1 places threads one by one), the child inherits that
 * thread's group, and the thread moves back, so oomguard's own memory stays outside the job's.
 * Removed when the job is over.
 */
public final class JobCgroup implements AutoCloseable {
    /** Making the group was refused; the message says why and what to do instead. */
    public static final class NotPermitted extends Exception {
        NotPermitted(String message) {
            super(message, null, false, false);
        }
    }

    static final String NAME_PREFIX = "oomguard-";
    private static final Pattern NAME = Pattern.compile("oomguard-(\\d+)(?:-(\\d+))?");

    private final Path dir;
    private final Path homeTasks;
    private final String cgroupPath;
    private final LibC libc;
    private final List<Path> swept;

    private JobCgroup(Path dir, Path homeTasks, String cgroupPath, LibC libc, List<Path> swept) {
        this.swept = List.copyOf(swept);
        this.dir = dir;
        this.homeTasks = homeTasks;
        this.cgroupPath = cgroupPath;
        this.libc = libc;
    }

    /**
     * Makes {@code <oomguard's memory cgroup>/oomguard-<pid>-<start time>} with
     * {@code memory.limit_in_bytes = max}, after removing the empty groups of earlier runs that
     * did not remove their own (oomguard SIGKILLed): see {@link #sweep}.
     */
    public static JobCgroup create(ProcFs fs, LibC libc, ByteSize max) throws NotPermitted {
        int self = libc.getpid();
        List<CgroupMount> mounts;
        try {
            mounts = CgroupMount.read(fs);
        } catch (RuntimeException e) {
            throw new NotPermitted("--memory-max: cannot read the cgroup mounts (" + e.getMessage() + ")");
        }
        Optional<CgroupMount> v1 = CgroupMount.first(mounts, CgroupVersion.V1);
        Optional<String> own = CgroupPaths.read(fs, self).flatMap(CgroupPaths::v1Memory);
        if (v1.isEmpty() || own.isEmpty()) {
            throw new NotPermitted("--memory-max needs a cgroup v1 memory controller, which this machine does not"
                    + " show; on cgroup v2 run: systemd-run --user --scope -p MemoryMax=" + max + " oomguard ...");
        }
        Optional<String> ownDir = v1.get().directoryOf(own.get());
        if (ownDir.isEmpty()) {
            throw new NotPermitted("--memory-max: oomguard's memory cgroup " + own.get() + " is not visible here");
        }
        IntFunction<Optional<Long>> startTicksOf = pid -> {
            try {
                return PidStat.read(fs, pid).map(PidStat::startTimeTicks);
            } catch (RuntimeException e) {
                return Optional.of(-1L); // unreadable: taken as running (never swept for it)
            }
        };
        // Our start time in the name tells us from a later process with our PID; unknown, the PID alone.
        String name = NAME_PREFIX + self + startTicksOf.apply(self).filter(t -> t >= 0).map(t -> "-" + t).orElse("");
        Path home = Path.of(ownDir.get());
        List<Path> swept = sweep(home, startTicksOf);
        Path dir = home.resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new NotPermitted("--memory-max: cannot create the memory cgroup " + dir + " (" + reason(e)
                    + "); it needs root or a delegated cgroup");
        }
        JobCgroup group = new JobCgroup(dir, home.resolve("tasks"),
                (own.get().equals("/") ? "" : own.get()) + "/" + name, libc, swept);
        try {
            Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(max.bytes()));
        } catch (IOException e) {
            group.close();
            throw new NotPermitted("--memory-max: cannot set the limit on " + dir + " (" + reason(e) + ")");
        }
        return group;
    }

    /**
     * Removes the groups in {@code home} left by runs whose oomguard has ended without removing
     * them (SIGKILLed): named {@code oomguard-<pid>-<start time>}, where that PID no longer runs,
     * or runs with another start time (a later process that reuses the PID). The older
     * {@code oomguard-<pid>} names count as abandoned only when that PID is gone. Only empty groups
     * go: the kernel refuses to remove a group that still holds a process, and that refusal leaves
     * it in place (its processes are someone's job). Returns the groups removed.
     *
     * @param startTicksOf a PID's start time ({@code /proc/PID/stat} field 22), empty when it is gone
     */
    public static List<Path> sweep(Path home, IntFunction<Optional<Long>> startTicksOf) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(home, NAME_PREFIX + "*")) {
            for (Path p : entries) {
                if (abandoned(p.getFileName().toString(), startTicksOf) && Files.isDirectory(p)) {
                    try {
                        Files.delete(p); // rmdir(2): refused while a process is in it
                        removed.add(p);
                    } catch (IOException e) {
                        // Still in use, or not ours to remove: left as it is.
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable: nothing swept, the run goes on.
        }
        return removed;
    }

    /** Whether a group of this name belongs to an oomguard that is no longer running. */
    static boolean abandoned(String name, IntFunction<Optional<Long>> startTicksOf) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return false;
        }
        int pid;
        try {
            pid = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<Long> running = startTicksOf.apply(pid);
        if (running.isEmpty()) {
            return true;
        }
        return m.group(2) != null && !m.group(2).equals(Long.toString(running.get()));
    }

    /** The calling thread joins the group (call just before starting the job, on the same thread). */
    public void enterThread() throws IOException {
        Files.writeString(dir.resolve("tasks"), Integer.toString(libc.gettid()));
    }

    /** The calling thread goes back to oomguard's own group. */
    public void leaveThread() throws IOException {
        Files.writeString(homeTasks, Integer.toString(libc.gettid()));
    }

    /** The group's {@code oom_kill} counter: every OOM kill in it is one of the job's processes. */
    public OptionalLong oomKills() {
        try {
            for (String line : Files.readAllLines(dir.resolve("memory.oom_control"))) {
                if (line.startsWith("oom_kill ")) {
                    return OptionalLong.of(Long.parseLong(line.substring(9).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Gone or unreadable: unknown.
        }
        return OptionalLong.empty();
    }

    /**
     * The group's charged maximum since it was made, as the kernel counts it: the file read
     * ({@code memory.max_usage_in_bytes} on v1, {@code memory.peak} on v2 where the kernel has it)
     * and its value; empty when neither can be read. Read before {@link #close}.
     */
    public java.util.Optional<java.util.Map.Entry<String, Long>> peakBytes() {
        for (String file : new String[] {"memory.max_usage_in_bytes", "memory.peak"}) {
            try {
                OptionalLong v = parseCounter(Files.readString(dir.resolve(file)));
                if (v.isPresent()) {
                    return java.util.Optional.of(java.util.Map.entry(file, v.getAsLong()));
                }
            } catch (IOException e) {
                // Not this version's file, or gone: try the other.
            }
        }
        return java.util.Optional.empty();
    }

    /** A counter file's one number ({@code 135528448\n}); empty when it is not one. Pure. */
    public static OptionalLong parseCounter(String text) {
        String t = text.strip();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 18) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(t));
    }

    /** As {@code /proc/PID/cgroup} names it, e.g. {@code /oomguard-4242-918273}. */
    public String path() {
        return cgroupPath;
    }

    public Path directory() {
        return dir;
    }

    /** The empty groups of earlier runs that {@link #create} removed (see {@link #sweep}). */
    public List<Path> swept() {
        return swept;
    }

    /** Removes the group; it must be empty. False when something is still in it. */
    @Override
    public void close() {
        for (int i = 0; i < 20; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50); // the last process may still be exiting
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public boolean removed() {
        return !Files.exists(dir);
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : (m == null ? e.toString() : m);
    }
}
