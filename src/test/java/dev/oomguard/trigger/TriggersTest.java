package dev.oomguard.trigger;

import dev.oomguard.launch.GroupSignals;
import dev.oomguard.checkpoint.CheckpointRequest;
import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.checkpoint.Checkpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.TreeTotals;
import dev.oomguard.units.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The triggers' wiring on a cgroup v2 fixture tree (this machine has no v2 memory controller):
 * real inotify on the fixture's memory.events, real polling of its memory.current.
 */
class TriggersTest {
    private static final long MIB = 1L << 20;
    private static final int JOB = 4242;

    @TempDir
    Path root;

    private final BlockingQueue<String> sampleNow = new LinkedBlockingQueue<>();
    private final List<Crossing> crossings = new CopyOnWriteArrayList<>();
    private final List<String> said = new CopyOnWriteArrayList<>();

    private final Triggers.Handler handler = new Triggers.Handler() {
        @Override
        public void crossed(Crossing crossing) {
            crossings.add(crossing);
        }

        @Override
        public void sampleNow(String why) {
            sampleNow.add(why);
        }
    };

    private void write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** A v2-only machine: the job in /job under /sys/fs/cgroup, 512 MiB max, 300 MiB used. */
    private Triggers v2Tree() throws IOException {
        write("proc/self/mountinfo", "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw\n");
        write("proc/" + JOB + "/cgroup", "0::/job\n");
        write("sys/fs/cgroup/job/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        write("sys/fs/cgroup/job/memory.current", Long.toString(300 * MIB) + "\n");
        Optional<KernelEvents> kernel;
        try {
            kernel = Optional.of(KernelEvents.load());
        } catch (RuntimeException | LinkageError e) {
            kernel = Optional.empty();
        }
        assumeTrue(kernel.isPresent(), "libc through JNA");
        return new Triggers(new ProcFs(root), kernel, said::add, said::add, System::nanoTime, Optional.empty(),
                Duration.ofMillis(500), Optional.empty());
    }

    private static Sample sample(Limit binding) {
        List<ProcessMemory> tree = List.of(new ProcessMemory(new ProcessId(JOB, 1), 1, "job", 1000, 0, 0, 0, OptionalLong.empty()));
        return new Sample(System.nanoTime(), 1, tree, TreeTotals.of(tree), new MemInfo(16 << 20, 8 << 20, 0, 0),
                List.of(binding), binding, List.of(), new OomKillCounters(OptionalLong.of(0), Map.of()), List.of());
    }

    private static Limit v2Limit(long usedBytes) {
        return new Limit(LimitSource.CGROUP_V2, "cgroup v2 /sys/fs/cgroup/job: memory.max 512 MiB + swap 0 B",
                ByteSize.ofMiB(512), ByteSize.ofBytes(512 * MIB - usedBytes));
    }

    @Test
    void aChangeOfMemoryEventsAsksForAFullSampleAtOnce() throws Exception {
        try (Triggers t = v2Tree()) {
            t.start(JOB, handler);
            assertThat(said).anyMatch(s -> s.contains("/sys/fs/cgroup/job/memory.events (high, max, oom, oom_kill)")
                    && s.contains("inotify"));
            write("sys/fs/cgroup/job/memory.events", "low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\n");
            assertThat(sampleNow.poll(10, TimeUnit.SECONDS)).isEqualTo("memory.events changed");
        }
    }

    @Test
    void onCgroupV2TheGroupsUsageIsPolledAndACrossedLevelHandedOnWithTheReading() throws Exception {
        try (Triggers t = v2Tree()) {
            t.start(JOB, handler);
            Duration next = t.rearm(sample(v2Limit(300 * MIB)), List.of(460 * MIB, 490 * MIB), Duration.ofSeconds(5));
            assertThat(next).as("full samples keep their interval").isEqualTo(Duration.ofSeconds(5));
            for (int i = 0; i < 100 && t.armedLevels().isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertThat(t.armedLevels()).containsExactly(460 * MIB, 490 * MIB);
            assertThat(t.describe()).startsWith("adaptive polling of " + root.resolve("sys/fs/cgroup/job/memory.current"));
            write("sys/fs/cgroup/job/memory.current", Long.toString(470 * MIB) + "\n");
            for (int i = 0; i < 500 && crossings.isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertThat(crossings).isNotEmpty();
            Crossing c = crossings.get(0);
            assertThat(c.fileNow()).isEqualTo(470 * MIB);
            assertThat(c.base().at(c.fileNow()).used().bytes()).isEqualTo(470 * MIB);
        }
    }

    @Test
    void aVanishedGroupFallsBackToFullSamplesWithoutAnError() throws Exception {
        try (Triggers t = v2Tree()) {
            t.start(JOB, handler);
            Files.delete(root.resolve("sys/fs/cgroup/job/memory.current"));
            Duration next = t.rearm(sample(v2Limit(300 * MIB)), List.of(460 * MIB), Duration.ofSeconds(5));
            assertThat(next).isLessThanOrEqualTo(Duration.ofSeconds(5));
            for (int i = 0; i < 100 && t.describe().isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertThat(t.describe()).startsWith("full samples only");
        }
    }

    @Test
    void everyDescriptorIsClosedAtTheEnd() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds));
        long before;
        try (var s = Files.list(fds)) {
            before = s.count();
        }
        try (Triggers t = v2Tree()) {
            t.start(JOB, handler);
            t.rearm(sample(v2Limit(300 * MIB)), List.of(460 * MIB), Duration.ofSeconds(5));
            Thread.sleep(50);
        }
        try (var s = Files.list(fds)) {
            assertThat(s.count()).isLessThanOrEqualTo(before);
        }
    }

    @Test
    void theDirectoryOfACgroupLimitIsReadFromItsDescription() {
        assertThat(TriggerPlan.cgroupDirectory(v2Limit(0))).contains("/sys/fs/cgroup/job");
        assertThat(TriggerPlan.cgroupDirectory(new Limit(LimitSource.CGROUP_V1,
                "cgroup v1 /sys/fs/cgroup/memory/slurm/uid_0/job_7: memory.limit_in_bytes 4 GiB + swap 0 B",
                ByteSize.ofGiB(4), ByteSize.ofGiB(1)))).contains("/sys/fs/cgroup/memory/slurm/uid_0/job_7");
        assertThat(TriggerPlan.cgroupDirectory(new Limit(LimitSource.HOST, "host: RAM 16 GiB + swap 0 B",
                ByteSize.ofGiB(16), ByteSize.ofGiB(8)))).isEmpty();
    }

    @Test
    void levelsAlreadyRegisteredWithinAMebibyteAreNotRegisteredAgain() {
        assertThat(TriggerPlan.covered(List.of(100 * MIB, 200 * MIB), List.of(200 * MIB + 1000))).isTrue();
        assertThat(TriggerPlan.covered(List.of(100 * MIB, 200 * MIB), List.of())).isTrue();
        assertThat(TriggerPlan.covered(List.of(100 * MIB), List.of(100 * MIB, 150 * MIB))).isFalse();
        assertThat(TriggerPlan.covered(List.of(), List.of(150 * MIB))).isFalse();
    }

    @Test
    void theGapIsToTheFirstLevelAboveTheReading() {
        assertThat(TriggerPlan.gap(List.of(10L, 20L), 5)).isEqualTo(5);
        assertThat(TriggerPlan.gap(List.of(10L, 20L), 15)).isEqualTo(5);
        assertThat(TriggerPlan.gap(List.of(10L, 20L), 25)).isEqualTo(Long.MAX_VALUE);
    }

    /**
     * The job ends on the reflex's signal before the trigger thread polls the reflex's news (the
     * thread is held here in a handler): closing the triggers still hands the crossing on, so the
     * checkpoint is decided, claimed and in the summary.
     */
    @Test
    void aReflexThatFiredJustBeforeTheEndIsStillHandedOnWhenTheTriggersClose() throws Exception {
        Path flag = root.resolve("checkpoint");
        Checkpoints checkpoints = new Checkpoints(Optional.of(flag), Duration.ofSeconds(60), java.time.Clock.systemUTC(),
                System::nanoTime);
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        Triggers.Handler held = new Triggers.Handler() {
            @Override
            public void crossed(Crossing crossing) {
                crossings.add(crossing);
            }

            @Override
            public void sampleNow(String why) {
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        v2Tree().close(); // the fixture files
        Reflex reflex = new Reflex(KernelEvents.load(),
                new CheckpointRequest(checkpoints, new GroupSignals(() -> JOB, sig -> { })), 0, said::add); // no signal: the file alone
        assumeTrue(reflex.start(), "libc's direct calls");
        Triggers t = new Triggers(new ProcFs(root), Optional.of(KernelEvents.load()), said::add, said::add, System::nanoTime,
                Optional.empty(), Duration.ofMillis(500), Optional.of(reflex));
        try (reflex) {
            t.start(JOB, held);
            t.rearm(sample(v2Limit(300 * MIB)), List.of(490 * MIB),
                    Optional.of(new dev.oomguard.guard.CheckpointLevel(460 * MIB, "--checkpoint 90%", "the fixture")), Duration.ofSeconds(5));
            for (int i = 0; i < 200 && !reflex.watching(460 * MIB); i++) {
                Thread.sleep(10);
            }
            assertThat(reflex.watching(460 * MIB)).isTrue();
            // The trigger thread is held in sampleNow from now on.
            write("sys/fs/cgroup/job/memory.events", "low 0\nhigh 1\nmax 0\noom 0\noom_kill 0\n");
            Thread.sleep(200);
            crossings.clear();
            write("sys/fs/cgroup/job/memory.current", Long.toString(470 * MIB) + "\n");
            for (int i = 0; i < 500 && !Files.exists(flag); i++) {
                Thread.sleep(10);
            }
            assertThat(flag).as("the reflex put the flag file in place, saying how it saw the level")
                    .hasContent("--checkpoint 90% crossed while growing (polled reading) on the fixture");
            assertThat(crossings).as("the held thread has not passed it on").isEmpty();
            Thread closer = new Thread(t::close);
            closer.start();
            Thread.sleep(300); // close() has told the thread to stop: released, it leaves its loop
            hold.countDown();
            closer.join(10_000);
            assertThat(crossings).as("handed on once, at the level it fired at").hasSize(1);
            assertThat(crossings.get(0).fileNow()).isGreaterThanOrEqualTo(460 * MIB);
            t.close();
            assertThat(crossings).as("a second close hands nothing on").hasSize(1);
        } finally {
            hold.countDown();
            t.close();
        }
    }
}
