package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.PartialKills;
import dev.oomguard.proc.CgroupMemory;
import dev.oomguard.proc.ProcFs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sampler against the real kernel: a python3 master and a forked worker in a fresh cgroup v1
 * memory group limited to 256 MiB. Only that group ever runs out of memory, never the machine.
 */
class SamplerIT {
    private static final Path V1 = Path.of("/sys/fs/cgroup/memory");
    private static final long LIMIT = 256L << 20;

    @TempDir
    Path work;
    private Path cgroup;
    private Process master;
    private long workerPid;
    private Path cache; // kept until the end: unlinking it would drop its page cache

    @BeforeEach
    void startTreeInALimitedCgroup() throws Exception {
        assumeTrue(Files.isWritable(V1) && Files.exists(V1.resolve("memory.limit_in_bytes")),
                "needs root and a cgroup v1 memory controller at " + V1);
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3");
        cgroup = V1.resolve("oomguard-it-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cgroup);
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(LIMIT));
        Path script = work.resolve("tree.py");
        try (var in = SamplerIT.class.getResourceAsStream("/it/tree.py")) {
            Files.copy(in, script);
        }
        // the page cache must be charged as file pages: a real disk, not tmpfs
        cache = Path.of(System.getProperty("java.io.tmpdir")).resolve("oomguard-it-cache-" + cgroup.getFileName());
        master = new ProcessBuilder(python.toString(), script.toString(), cgroup.toString(), cache.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8));
        String ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(ready).startsWith("ready ");
        workerPid = Long.parseLong(ready.substring(6).trim());
    }

    @AfterEach
    void killWhatWeStartedAndRemoveTheGroup() throws Exception {
        if (workerPid > 0) {
            ProcessHandle.of(workerPid).filter(h -> h.parent().map(p -> p.pid() == master.pid()).orElse(false))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
        if (master != null) {
            master.destroyForcibly();
            master.waitFor(10, TimeUnit.SECONDS);
        }
        if (cache != null) {
            Files.deleteIfExists(cache);
        }
        if (cgroup != null) {
            for (int i = 0; i < 50 && Files.exists(cgroup); i++) {
                try {
                    Files.delete(cgroup); // rmdir: fails while a task is still inside
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
        }
    }

    @Test
    void findsTheTreeTheCgroupLimitAndItsHeadroomAndSeesThePartialKill() throws Exception {
        ProcFs fs = ProcFs.system();
        Sampler sampler = new Sampler(fs, TreeSpec.of((int) master.pid()), LimitSources.standard());
        Sample s = sampler.sample();

        assertThat(s.tree()).extracting(ProcessMemory::pid).containsExactlyInAnyOrder((int) master.pid(), (int) workerPid);
        ProcessMemory m = s.tree().stream().filter(p -> p.pid() == master.pid()).findFirst().orElseThrow();
        assertThat(m.rssAnonKiB()).isGreaterThan(64 * 1024);
        assertThat(m.pssKiB()).isPresent(); // small processes get PSS at once

        Limit binding = s.binding();
        assertThat(binding.source()).isEqualTo(LimitSource.CGROUP_V1);
        assertThat(binding.description()).contains(cgroup.toString());
        CgroupMemory direct = CgroupMemory.read(fs, dev.oomguard.proc.CgroupVersion.V1, cgroup.toString()).orElseThrow();
        assertThat(direct.inactiveFileBytes()).isGreaterThan(8L << 20); // the test can tell usage from working set
        long swapFree = s.host().swapFreeKiB() * 1024;
        long expected = LIMIT - direct.workingSetBytes() + Math.min(swapFree, s.host().swapTotalKiB() * 1024);
        assertThat((double) binding.headroom().bytes()).isCloseTo(expected, within((double) (2 << 20)));
        assertThat(binding.headroom().bytes()).isGreaterThan(LIMIT - direct.usageBytes());
        assertThat(s.oomKills().host()).isPresent();
        assertThat(s.oomKills().cgroups()).containsEntry(cgroup.toString(), 0L);

        // The worker outgrows the group: the kernel kills it inside the group, the master stays.
        ProcessHandle.of(workerPid).orElseThrow();
        new ProcessBuilder("kill", "-USR1", Long.toString(workerPid)).start().waitFor(5, TimeUnit.SECONDS);
        Sample after = s;
        for (int i = 0; i < 300 && after.tree().size() == 2; i++) {
            Thread.sleep(50);
            after = sampler.sample();
        }
        List<PartialKill> kills = PartialKills.detect(s, after);
        assertThat(kills).extracting(k -> k.process().pid()).containsExactly((int) workerPid);
        assertThat(after.oomKills().cgroups().get(cgroup.toString())).isPositive();
        assertThat(after.tree()).extracting(ProcessMemory::pid).containsExactly((int) master.pid());
        assertThat(master.isAlive()).isTrue();
    }
}
