package dev.oomguard.proc;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cgroup that Slurm made for a job, from its path: cgroup v1 {@code /slurm/uid_0/job_42/step_batch/task_0}
 * (Debian's build adds the node: {@code /slurm_node1/...}), cgroup v2
 * {@code /system.slice/slurmstepd.scope/job_42/step_0/user/task_0}. The job-level group carries
 * the {@code --mem} limit; the step-level group the step's (the same, unless the step asked for less).
 *
 * @param jobId the job's id ({@code SLURM_JOB_ID})
 * @param step  {@code batch}, {@code extern}, {@code 0}, ...; empty for the job-level group
 */
public record SlurmCgroup(long jobId, Optional<String> step) {
    private static final Pattern V1 = Pattern.compile("/slurm[^/]*/uid_\\d+/job_(\\d+)(?:/step_([^/]+))?(/.*)?$");
    private static final Pattern V2 = Pattern.compile("/slurmstepd\\.scope/job_(\\d+)(?:/step_([^/]+))?(/.*)?$");

    public SlurmCgroup {
        if (jobId < 0 || step == null) {
            throw new IllegalArgumentException("invalid Slurm job id " + jobId);
        }
    }

    /** The Slurm job and step a cgroup path (as /proc/PID/cgroup or a directory names it) belongs to. */
    public static Optional<SlurmCgroup> of(String path) {
        return parse(path, false);
    }

    /** Only the job's or the step's own group, not one below it (a task's, or one made inside the step). */
    public static Optional<SlurmCgroup> exactly(String path) {
        return parse(path, true);
    }

    private static Optional<SlurmCgroup> parse(String path, boolean exact) {
        if (path == null) {
            return Optional.empty();
        }
        for (Pattern p : new Pattern[] {V1, V2}) {
            Matcher m = p.matcher(path);
            if (m.find() && (!exact || m.group(3) == null)) {
                return Optional.of(new SlurmCgroup(Long.parseLong(m.group(1)), Optional.ofNullable(m.group(2))));
            }
        }
        return Optional.empty();
    }

    /**
     * The Slurm step of {@code /proc/PID/cgroup}'s text: the first hierarchy that names one
     * (freezer, memory, cpuacct in v1, the unified line in v2). This is the set of processes
     * Slurm signals together (proctrack/cgroup).
     */
    public static Optional<SlurmCgroup> stepOf(String procCgroup) {
        for (String line : procCgroup.split("\n")) {
            int second = line.indexOf(':', line.indexOf(':') + 1);
            if (second < 0) {
                continue;
            }
            Optional<SlurmCgroup> s = of(line.substring(second + 1));
            if (s.isPresent() && s.get().step().isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** Whether this is the job-level group (the one with the job's whole allocation). */
    public boolean jobLevel() {
        return step.isEmpty();
    }

    /** A byte count as Slurm's {@code --mem} takes it: {@code 200M}, {@code 4G}; Slurm's M is MiB. */
    public static String memArg(long bytes) {
        long mib = 1L << 20;
        if (bytes % (1024 * mib) == 0) {
            return bytes / (1024 * mib) + "G";
        }
        if (bytes % mib == 0) {
            return bytes / mib + "M";
        }
        return (bytes + 1023) / 1024 + "K";
    }

    @Override
    public String toString() {
        return "Slurm job " + jobId + step.map(s -> ", step " + s).orElse("");
    }
}
