package dev.oomguard.explain;

import dev.oomguard.kernellog.MemInfo;
import dev.oomguard.kernellog.MemcgCounter;
import dev.oomguard.kernellog.OomReport;
import dev.oomguard.kernellog.TaskRow;
import dev.oomguard.proc.SlurmCgroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What to change so the job finishes, with numbers from the report. Pure. */
final class Advice {
    private final long pageKiB;

    Advice(long pageKiB) {
        this.pageKiB = pageKiB;
    }

    List<String> forReport(Verdict v, OomReport r, JobProcesses job) {
        List<String> out = new ArrayList<>();
        switch (v) {
            case MACHINE_OOM -> machine(r, job, out);
            case CGROUP_LIMIT -> cgroup(r, job, out);
            case CPUSET_CONSTRAINT -> out.add("Allow more memory nodes (cpuset.mems / the job's cpuset), or run it"
                    + " where its nodes have more free memory.");
            case MEMPOLICY_CONSTRAINT -> out.add("Relax the memory policy (numactl --membind / set_mempolicy) so the"
                    + " job may use other nodes, or bind it to nodes with more free memory.");
            default -> { }
        }
        workers(job).ifPresent(out::add);
        return out;
    }

    private void machine(OomReport r, JobProcesses job, List<String> out) {
        MemInfo m = r.memInfo();
        if (m == null || m.ramPages() == null) {
            out.add("Run it on a machine with more RAM, or run fewer memory-hungry jobs at once.");
            return;
        }
        long ramKiB = m.ramPages() * pageKiB;
        long swapKiB = m.totalSwapKiB() == null ? 0 : m.totalSwapKiB();
        long hadKiB = ramKiB + swapKiB;
        double hadGiB = hadKiB / (double) Sizes.KIB_PER_GIB;
        long jobKiB = job.rssKiB() + job.swapKiB();
        String had = Math.round(hadGiB) + " GiB";
        String parts = swapKiB > 0 ? " (" + Sizes.kib(ramKiB) + " RAM + " + Sizes.kib(swapKiB) + " swap)" : " of RAM";
        boolean jobDominated = jobKiB * 2 > hadKiB;
        out.add(jobDominated ? "To finish, this job needs more than the " + had + " it had" + parts + "."
                : "The machine's whole load needed more than the " + had + " it had" + parts
                        + "; the killed process was not the main user.");
        out.add("A machine with more RAM: at least " + Sizes.machineGiB(hadGiB * 1.25) + " GiB.");
        // Swap only helps a job that can wait on the disk; one already deep in swap would just thrash.
        boolean thrashing = jobKiB > 0 && job.swapKiB() * 2 > jobKiB;
        if (!thrashing) {
            long moreSwapGiB = Math.max(2, Sizes.machineGiB(hadGiB * 0.25));
            out.add("Or more swap, e.g. " + moreSwapGiB + " GiB more (slower: the job will page).");
        }
        if (!jobDominated && job.rows().size() > 0) {
            out.add("Or run less beside it: the killed process held only " + Sizes.kib(jobKiB) + " of the "
                    + had + "; see the largest users above.");
        }
    }

    private void cgroup(OomReport r, JobProcesses job, List<String> out) {
        Optional<MemcgCounter> hit = r.memcg() == null ? Optional.empty() : ReportExplainer.limiting(r.memcg());
        if (hit.isEmpty()) {
            out.add("Raise the memory limit of the job's cgroup.");
            return;
        }
        long limitKiB = hit.get().limitKiB();
        long suggestMiB = Sizes.limitMiB(limitKiB * 1.5 / 1024);
        String path = r.memcg().cgroup().orElse("");
        CgroupOwner.Owner owner = CgroupOwner.of(path);
        String now = Sizes.kib(limitKiB);
        String arg = Sizes.limitArg(suggestMiB);
        Optional<SlurmCgroup> slurm = SlurmCgroup.of(path);
        if (slurm.isPresent()) {
            String had = SlurmCgroup.memArg(limitKiB * 1024);
            out.add("To finish, Slurm job " + slurm.get().jobId() + " needs more than its " + had + " allocation.");
            out.add("Ask Slurm for more: e.g. sbatch --mem=" + arg + " (it had --mem=" + had
                    + " and reached it; half as much again, rounded up).");
            return;
        }
        out.add("To finish, this job needs more than its " + now + " " + hit.get().kind() + " limit.");
        switch (owner.kind()) {
            case SLURM_JOB -> out.add("Ask Slurm for more: e.g. --mem=" + arg + " (it had " + now + ").");
            case CONTAINER -> out.add("Give the container more: e.g. docker run --memory=" + arg.toLowerCase() + " (it had "
                    + now + ").");
            case KUBERNETES_POD -> out.add("Raise the container's resources.limits.memory, e.g. to " + arg + "i (it had "
                    + now + ").");
            case SYSTEMD_UNIT -> out.add("Raise the unit's MemoryMax= (MemoryLimit= on cgroup v1), e.g. to " + arg
                    + " (it had " + now + ").");
            default -> out.add("Raise the cgroup's limit (memory.limit_in_bytes / memory.max), e.g. to " + arg
                    + " (it had " + now + ").");
        }
    }

    /** Fewer workers: estimated from the per-worker figures of the task table. */
    private Optional<String> workers(JobProcesses job) {
        List<TaskRow> workers = job.workers();
        if (workers.size() < 2) {
            return Optional.empty();
        }
        long perWorkerKiB = workers.stream().mapToLong(t -> t.rssPages() + t.swapPages()).sum() * pageKiB / workers.size();
        int fewer = Math.max(1, workers.size() / 4);
        return Optional.of("Or fewer workers: each of the " + workers.size() + " held about " + Sizes.kib(perWorkerKiB)
                + " (resident + swapped); " + fewer + " fewer would save roughly " + Sizes.kib(perWorkerKiB * fewer)
                + " (less where forked workers share pages).");
    }
}
