package dev.oomguard.watch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private single-node Slurm for integration tests, started by {@code src/test/resources/slurm/
 * start-slurm.sh} under a directory of its own, on free ports, and stopped by the PIDs it wrote.
 * Installs nothing: {@link #assumeAvailable()} skips the test, with the reason, where the Slurm
 * and munge packages are missing (.ci/run installs them) or the user is not root.
 */
final class LocalSlurm implements AutoCloseable {
    private static final Path SCRIPTS = Path.of("src/test/resources/slurm").toAbsolutePath();

    private final Path dir;
    private final int port;

    private LocalSlurm(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "Slurm tests need root (slurmd, munged)");
        for (String tool : List.of("slurmctld", "slurmd", "munged", "sbatch", "srun", "scancel", "scontrol")) {
            assumeTrue(onPath(tool), tool + " is not installed (apt-get install slurm-wlm slurmctld slurmd"
                    + " slurm-client munge; .ci/run does)");
        }
        assumeTrue(Files.isWritable(Path.of("/sys/fs/cgroup/memory")),
                "Slurm's memory enforcement here needs a writable cgroup v1 memory controller");
    }

    /** Starts a fresh cluster; {@code proctrack} is slurm.conf's ProctrackType. */
    static LocalSlurm start(String proctrack) throws Exception {
        Path dir = Files.createTempDirectory("oomguard-slurm-");
        LocalSlurm s = new LocalSlurm(dir, freePortPair());
        s.startDaemons(proctrack);
        return s;
    }

    /** Stops this cluster's daemons and starts them again with another ProctrackType (job ids restart). */
    void restart(String proctrack) throws Exception {
        stopDaemons();
        startDaemons(proctrack);
    }

    private void startDaemons(String proctrack) throws Exception {
        Result r = run(Map.of("PROCTRACK", proctrack), 60, "bash", SCRIPTS.resolve("start-slurm.sh").toString(),
                dir.toString(), Integer.toString(port));
        if (r.status() != 0) {
            stopDaemons();
            throw new IllegalStateException("start-slurm.sh failed (" + r.status() + "): " + r.output());
        }
        Files.createDirectories(dir.resolve("jobs"));
    }

    Path dir() {
        return dir;
    }

    /** Submits {@code script} (its text) with these sbatch options; returns the job id. */
    long sbatch(String name, String script, Map<String, String> env, String... options) throws Exception {
        return sbatch(name, script, env, List.of(options), List.of());
    }

    /** The same, with arguments for the script ({@code sbatch [options] script args...}). */
    long sbatch(String name, String script, Map<String, String> env, List<String> options, List<String> args)
            throws Exception {
        Path file = dir.resolve("jobs").resolve(name + ".sh");
        Files.writeString(file, script);
        file.toFile().setExecutable(true);
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "-o", dir.resolve("jobs") + "/%j.out"));
        cmd.addAll(options);
        cmd.add(file.toString());
        cmd.addAll(args);
        Result r = run(env, 30, cmd.toArray(String[]::new));
        if (r.status() != 0) {
            throw new IllegalStateException("sbatch failed: " + r.output());
        }
        return Long.parseLong(r.output().strip().split(";")[0]);
    }

    /** The job's output file (stdout and stderr of the batch script) as it is now. */
    String output(long job) throws IOException {
        Path out = dir.resolve("jobs").resolve(job + ".out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    /** Waits until the job's output satisfies {@code ready}; fails with the output after {@code seconds}. */
    String awaitOutput(long job, Predicate<String> ready, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String out = output(job);
            if (ready.test(out)) {
                return out;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + job + " did not get there in " + seconds + " s; output so far:\n" + output(job)
                + "\n" + show(job));
    }

    /** Waits for the job to end; returns {@code scontrol show job}'s JobState and ExitCode, e.g. {@code OUT_OF_MEMORY 0:125}. */
    String awaitEnd(long job, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String show = show(job);
            Matcher state = Pattern.compile("JobState=(\\S+)").matcher(show);
            Matcher exit = Pattern.compile(" ExitCode=(\\S+)").matcher(show);
            if (state.find() && exit.find() && !List.of("PENDING", "RUNNING", "COMPLETING", "CONFIGURING")
                    .contains(state.group(1))) {
                return state.group(1) + " " + exit.group(1);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + job + " still running after " + seconds + " s:\n" + output(job));
    }

    String show(long job) throws Exception {
        return run(Map.of(), 30, "scontrol", "show", "job", Long.toString(job)).output();
    }

    void scancel(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("scancel"));
        cmd.addAll(List.of(args));
        Result r = run(Map.of(), 30, cmd.toArray(String[]::new));
        if (r.status() != 0) {
            throw new IllegalStateException("scancel failed: " + r.output());
        }
    }

    @Override
    public void close() throws Exception {
        stopDaemons();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void stopDaemons() throws Exception {
        run(Map.of(), 90, "bash", SCRIPTS.resolve("stop-slurm.sh").toString(), dir.toString());
    }

    record Result(int status, String output) {
    }

    private Result run(Map<String, String> env, int seconds, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLURM_CONF", dir.resolve("etc/slurm.conf").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not end in " + seconds + " s");
        }
        return new Result(p.exitValue(), new String(out));
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    /** Two consecutive free ports (slurmctld, slurmd), away from Slurm's defaults 6817/6818. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port < 65535 && free(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two consecutive free ports");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
