package dev.oomguard.launch;

import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SlurmCgroup;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Slurm step oomguard runs in (a batch script, or {@code srun}), and whether Slurm's own
 * signals to the step (time limit, {@code scancel}, preemption) reach the job without oomguard.
 * That depends on {@code ProctrackType}: proctrack/cgroup (the default, and what sites use)
 * sends signals other than KILL only to the step's tasks, the direct children of slurmstepd, so
 * a job under oomguard gets them only when oomguard relays them; proctrack/linuxproc sends them
 * to every descendant of slurmstepd, the job included, so relaying would deliver them twice;
 * proctrack/pgid signals the task's process group, which the job (in a group of its own) is not in.
 * The sender of a signal is not known (the JVM's handlers do not see {@code si_pid}), so the
 * configuration is the test.
 */
public final class SlurmStep {
    /** Slurm's default (and recommended) process tracking. */
    static final String DEFAULT_PROCTRACK = "proctrack/cgroup";

    private final ProcFs fs;
    private final SlurmCgroup step;
    private final String proctrack;

    SlurmStep(ProcFs fs, SlurmCgroup step, String proctrack) {
        this.fs = fs;
        this.step = step;
        this.proctrack = proctrack;
    }

    /**
     * The step {@code pid} (oomguard itself) is in, from its cgroups; empty outside Slurm or where
     * Slurm makes no cgroups. The process tracking comes from {@code $SLURM_CONF} (else
     * {@code /etc/slurm/slurm.conf}); unreadable means Slurm's default.
     */
    public static Optional<SlurmStep> of(ProcFs fs, int pid, Map<String, String> env) {
        Optional<SlurmCgroup> step;
        try {
            step = fs.readProcess(pid, "cgroup").flatMap(SlurmCgroup::stepOf);
        } catch (RuntimeException e) {
            return Optional.empty(); // unreadable: run as anywhere else, relaying every signal
        }
        if (step.isEmpty()) {
            return Optional.empty();
        }
        String conf = Optional.ofNullable(env.get("SLURM_CONF")).filter(p -> p.startsWith("/"))
                .orElse("/etc/slurm/slurm.conf");
        return Optional.of(new SlurmStep(fs, step.get(), readConf(fs, conf).flatMap(SlurmStep::proctrackType)
                .orElse(DEFAULT_PROCTRACK)));
    }

    /**
     * {@link #of}, read on first need and kept: a run reads its cgroups and {@code slurm.conf} only
     * when a signal is received (the one thing that asks), not before the job starts.
     */
    public static java.util.function.Supplier<Optional<SlurmStep>> once(ProcFs fs, int pid, Map<String, String> env) {
        java.util.concurrent.atomic.AtomicReference<Optional<SlurmStep>> read = new java.util.concurrent.atomic.AtomicReference<>();
        return () -> {
            Optional<SlurmStep> step = read.get();
            if (step == null) {
                step = of(fs, pid, env);
                read.compareAndSet(null, step);
                step = read.get();
            }
            return step;
        };
    }

    private static Optional<String> readConf(ProcFs fs, String path) {
        try {
            return fs.readIfPresent(path);
        } catch (RuntimeException e) {
            return Optional.empty(); // unreadable (slurm.conf is world-readable on a working cluster)
        }
    }

    /** {@code ProctrackType=} of a slurm.conf (keys are case-insensitive; {@code #} starts a comment). */
    static Optional<String> proctrackType(String slurmConf) {
        Optional<String> found = Optional.empty();
        for (String raw : slurmConf.split("\n")) {
            String line = raw.replaceFirst("#.*", "").strip();
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("proctracktype")) {
                found = Optional.of(line.substring(eq + 1).strip().toLowerCase(Locale.ROOT)); // the last one wins
            }
        }
        return found;
    }

    /**
     * Whether Slurm's signals to this step reach {@code pid} (the job) directly: only with
     * proctrack/linuxproc, and only while the job is still in this step.
     */
    public boolean signalsReach(int pid) {
        try {
            return proctrack.equals("proctrack/linuxproc")
                    && fs.readProcess(pid, "cgroup").flatMap(SlurmCgroup::stepOf).filter(step::equals).isPresent();
        } catch (RuntimeException e) {
            return false; // unknown: relaying is the safe side (the job may get it twice, never not at all)
        }
    }

    public SlurmCgroup step() {
        return step;
    }

    public String proctrack() {
        return proctrack;
    }

    @Override
    public String toString() {
        return step + " (" + proctrack + ")";
    }
}
