package dev.oomguard.bench;

import dev.oomguard.proc.ProcFs;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.sample.PssPolicy;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import dev.oomguard.sample.TreeSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * CPU time per tick of one sample of a job's tree: oomguard's Sampler (direct /proc) against
 * OSHI's process API, for trees of 10, 100 and 1000 processes (a bash and its sleeps). Run by
 * scripts/bench-sampling. Not a test: timings vary with the machine.
 */
public final class SamplingBench {
    private static final int WARMUP = 40;
    private static final int TICKS = 60;

    private SamplingBench() {
    }

    public static void main(String[] args) throws Exception {
        // OSHI logs every file it reads at DEBUG; logging is not what is measured
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SystemInfo si = new SystemInfo();
        OperatingSystem os = si.getOperatingSystem();
        GlobalMemory memory = si.getHardware().getMemory();
        System.out.printf(Locale.ROOT, "%d processes on the machine before the trees; %d ticks per figure after %d warm-up ticks%n",
                ProcFs.system().pids().size(), TICKS, WARMUP);
        System.out.printf(Locale.ROOT, "%-7s %-6s %16s %16s %16s %9s%n", "tree", "found", "Sampler no PSS", "Sampler +PSS",
                "OSHI", "OSHI/Sampler");
        for (int size : new int[] {10, 100, 1000}) {
            Process root = spawnTree(size);
            try {
                int pid = (int) root.pid();
                waitForTree(pid, size);
                Sampler plain = new Sampler(ProcFs.system(), TreeSpec.of(pid), LimitSources.standard().withPss(PssPolicy.never()));
                Sampler withPss = new Sampler(ProcFs.system(), TreeSpec.of(pid), LimitSources.standard());
                int[] found = new int[3];
                double plainUs = perTick(cpu, () -> {
                    Sample s = plain.sample();
                    return found[0] = s.tree().size();
                });
                double pssUs = perTick(cpu, () -> found[1] = withPss.sample().tree().size());
                double oshiUs = perTick(cpu, () -> {
                    List<OSProcess> tree = os.getDescendantProcesses(pid, null, null, 0);
                    OSProcess self = os.getProcess(pid);
                    long rss = self == null ? 0 : self.getResidentSetSize();
                    for (OSProcess p : tree) {
                        rss += p.getResidentSetSize();
                    }
                    long headroom = memory.getAvailable() + memory.getVirtualMemory().getSwapTotal()
                            - memory.getVirtualMemory().getSwapUsed();
                    return found[2] = tree.size() + (self == null ? 0 : 1) + (rss + headroom == 42 ? 1 : 0);
                });
                System.out.printf(Locale.ROOT, "%-7d %-6s %13.0f µs %13.0f µs %13.0f µs %8.1fx%n", size,
                        found[0] + "/" + found[2], plainUs, pssUs, oshiUs, oshiUs / plainUs);
            } finally {
                kill(root);
            }
        }
    }

    private static double perTick(ThreadMXBean cpu, IntSupplier tick) {
        for (int i = 0; i < WARMUP; i++) {
            tick.getAsInt();
        }
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < TICKS; i++) {
            tick.getAsInt();
        }
        return (cpu.getCurrentThreadCpuTime() - start) / 1000.0 / TICKS;
    }

    /** A bash with {@code size - 1} sleeping children: {@code size} processes. */
    private static Process spawnTree(int size) throws IOException {
        return new ProcessBuilder("bash", "-c", "for i in $(seq " + (size - 1) + "); do sleep 600 & done; wait")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void waitForTree(int pid, int size) throws InterruptedException {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow();
        for (int i = 0; i < 600 && root.descendants().count() < size - 1; i++) {
            Thread.sleep(50);
        }
    }

    /** Only what we started: the bash and its descendants. */
    private static void kill(Process root) throws InterruptedException {
        List<ProcessHandle> children = root.toHandle().descendants().toList();
        root.destroyForcibly(); // first, so bash does not report each child's death
        root.waitFor(10, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
        root.waitFor(10, TimeUnit.SECONDS);
    }
}
