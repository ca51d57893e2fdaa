package dev.oomguard.watch;

import dev.oomguard.proc.SlurmCgroup;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.Sample;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code --verbose} says about a Slurm allocation at the start: which job and step, and
 * whether its {@code --mem} is the limit oomguard measures against. Pure.
 */
final class SlurmNote {
    private SlurmNote() {
    }

    /**
     * @param env       oomguard's environment ({@code SLURM_JOB_ID}, {@code SLURM_STEP_ID})
     * @param jobCgroup the job's memory cgroup as {@code /proc/PID/cgroup} names it; null when unknown
     * @param first     the first sample, with every limit measured
     */
    static Optional<String> of(Map<String, String> env, String jobCgroup, Optional<Sample> first) {
        String jobId = env.get("SLURM_JOB_ID");
        Optional<SlurmCgroup> group = SlurmCgroup.of(jobCgroup);
        if (group.isEmpty()) {
            return jobId == null ? Optional.empty() : Optional.of("inside Slurm job " + jobId
                    + " (SLURM_JOB_ID), but the job's memory cgroup " + (jobCgroup == null ? "is unknown" : jobCgroup
                    + " is not one of Slurm's") + ": this Slurm does not enforce --mem with cgroups (it needs"
                    + " TaskPlugin=task/cgroup and ConstrainRAMSpace=yes), so --mem is not a limit the kernel applies");
        }
        SlurmCgroup s = group.get();
        String step = s.step().orElse(env.getOrDefault("SLURM_STEP_ID", "?"));
        StringBuilder b = new StringBuilder("inside Slurm job " + s.jobId() + ", step " + step + " (SLURM_JOB_ID="
                + (jobId == null ? "unset" : jobId) + (env.containsKey("SLURM_STEP_ID") ? ", SLURM_STEP_ID="
                + env.get("SLURM_STEP_ID") : "") + "), memory cgroup " + jobCgroup);
        Optional<Limit> allocation = first.flatMap(f -> f.limits().stream()
                .filter(l -> l.description().startsWith("Slurm job "))
                .reduce((near, far) -> near.equals(f.binding()) ? near : far)); // the binding one, else the job's own (last)
        if (allocation.isEmpty()) {
            b.append(": no memory limit on it (ConstrainRAMSpace=no?), so --mem is not enforced by the kernel");
        } else {
            Limit l = allocation.get();
            boolean binds = first.get().binding().equals(l);
            b.append(": ").append(l.description().split(":", 2)[0]).append(" is ").append(binds
                    ? "the binding limit" : "measured, but " + first.get().binding().description().split(":", 2)[0]
                    + " binds now");
        }
        return Optional.of(b.toString());
    }
}
