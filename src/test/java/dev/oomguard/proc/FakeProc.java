package dev.oomguard.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a scripted {@code /proc} under a temporary root, in the kernel's formats, so the real
 * Sampler reads it tick by tick. A fake at a real seam: the file system.
 */
public final class FakeProc {
    private final Path root;

    /** Temporary roots in /dev/shm where there is one: thousands of small writes stay fast. */
    public static final class InMemory implements org.junit.jupiter.api.io.TempDirFactory {
        @Override
        public Path createTempDirectory(org.junit.jupiter.api.extension.AnnotatedElementContext element,
                                        org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "oomguard-test") : Files.createTempDirectory("oomguard-test");
        }
    }

    public FakeProc(Path root) {
        this.root = root;
        write("proc/self/mountinfo", "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw\n");
        vmstat(0);
    }

    public ProcFs fs() {
        return new ProcFs(root);
    }

    public void meminfo(long totalKiB, long availableKiB, long swapTotalKiB, long swapFreeKiB) {
        write("proc/meminfo", "MemTotal:       " + totalKiB + " kB\nMemFree:        " + availableKiB / 2
                + " kB\nMemAvailable:   " + availableKiB + " kB\nBuffers:            0 kB\nCached:          10240 kB\n"
                + "SwapCached:         0 kB\nSwapTotal:      " + swapTotalKiB + " kB\nSwapFree:       " + swapFreeKiB + " kB\n");
    }

    public void vmstat(long oomKills) {
        write("proc/vmstat", "nr_free_pages 12345\npgfault 999\noom_kill " + oomKills + "\n");
    }

    public void process(int pid, String comm, int ppid, int pgrp, long startTicks, long anonKiB, long fileKiB,
                        long swapKiB, int oomScore) {
        String stat = pid + " (" + comm + ") S " + ppid + " " + pgrp + " " + pgrp + " 34816 " + pgrp
                + " 4194304 1000 0 0 0 50 10 0 0 20 0 1 0 " + startTicks + " 900000000 " + (anonKiB + fileKiB) / 4
                + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        write("proc/" + pid + "/stat", stat);
        write("proc/" + pid + "/status", "Name:\t" + comm + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t" + pid
                + "\nPid:\t" + pid + "\nPPid:\t" + ppid + "\nVmPeak:\t 9000000 kB\nVmSize:\t 9000000 kB\nVmHWM:\t "
                + (anonKiB + fileKiB) + " kB\nVmRSS:\t " + (anonKiB + fileKiB) + " kB\nRssAnon:\t " + anonKiB + " kB\nRssFile:\t " + fileKiB
                + " kB\nRssShmem:\t 0 kB\nVmSwap:\t " + swapKiB + " kB\nThreads:\t1\n");
        write("proc/" + pid + "/cgroup", "0::/user.slice/user-1000.slice/session-1.scope\n");
        write("proc/" + pid + "/oom_score", oomScore + "\n");
    }

    /** The process exited (or was killed) and waits for its parent to reap it. */
    public void zombie(int pid, String comm, int ppid, int pgrp, long startTicks) {
        write("proc/" + pid + "/stat", pid + " (" + comm + ") Z " + ppid + " " + pgrp + " " + pgrp + " 0 -1"
                + " 4227084 0 0 0 0 0 0 0 0 20 0 1 0 " + startTicks + " 0 0 18446744073709551615"
                + " 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 9\n");
        write("proc/" + pid + "/status", "Name:\t" + comm + "\nUmask:\t0022\nState:\tZ (zombie)\nTgid:\t" + pid
                + "\nPid:\t" + pid + "\nPPid:\t" + ppid + "\nThreads:\t1\n");
    }

    /**
     * {@code /proc/PID/task/TID/children}: the children thread {@code tid} of {@code pid} forked (a
     * kernel with CONFIG_PROC_CHILDREN; without a call, the tree has no children files).
     */
    public void children(int pid, int tid, int... kids) {
        StringBuilder text = new StringBuilder();
        for (int k : kids) {
            text.append(k).append(' ');
        }
        write("proc/" + pid + "/task/" + tid + "/children", text.toString());
    }

    /** Gives {@code pid}'s stat a thread count of {@code threads}. */
    public void threads(int pid, int threads) {
        Path stat = root.resolve("proc/" + pid + "/stat");
        try {
            String text = Files.readString(stat);
            int close = text.lastIndexOf(')');
            String[] f = text.substring(close + 2).split(" ");
            f[17] = Integer.toString(threads);
            write("proc/" + pid + "/stat", text.substring(0, close + 2) + String.join(" ", f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(int pid) {
        Path dir = root.resolve("proc/" + pid);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String relative, String text) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
