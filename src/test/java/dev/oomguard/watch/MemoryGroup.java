package dev.oomguard.watch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** A cgroup v1 memory group made by a test, removed afterwards. Root only. */
final class MemoryGroup implements AutoCloseable {
    static final Path ROOT = Path.of("/sys/fs/cgroup/memory");
    final Path dir;

    private MemoryGroup(Path dir) {
        this.dir = dir;
    }

    /** Skips the test (with the reason) unless memory cgroups can be made here. */
    static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make a memory cgroup (runs in CI as root)");
        assumeTrue(Files.isWritable(ROOT.resolve("cgroup.procs")), "no cgroup v1 memory controller at " + ROOT);
    }

    static MemoryGroup create(String limit) throws IOException {
        assumeAvailable();
        Path dir = ROOT.resolve("oomguard-it-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(dir);
        MemoryGroup g = new MemoryGroup(dir);
        Files.writeString(dir.resolve("memory.limit_in_bytes"), limit);
        if (Files.exists(dir.resolve("memory.memsw.limit_in_bytes"))) {
            Files.writeString(dir.resolve("memory.memsw.limit_in_bytes"), limit);
        }
        return g;
    }

    long oomKills() throws IOException {
        for (String line : Files.readAllLines(dir.resolve("memory.oom_control"))) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return -1;
    }

    /** A shell command that moves itself into the group, then runs {@code command}. */
    String enter(String command) {
        return "echo $$ > " + dir.resolve("cgroup.procs") + " && exec " + command;
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < 50; i++) {
            String procs = Files.readString(dir.resolve("cgroup.procs")).trim();
            if (procs.isEmpty()) {
                break;
            }
            for (String pid : procs.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(dir);
    }
}
