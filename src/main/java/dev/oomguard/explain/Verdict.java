package dev.oomguard.explain;

/** Why a job or process died, as far as the evidence goes. The JSON names are stable. */
public enum Verdict {
    MACHINE_OOM("machine_oom", "the whole machine ran out of memory (RAM + swap)"),
    CGROUP_LIMIT("cgroup_limit", "a memory-cgroup limit was reached"),
    CPUSET_CONSTRAINT("cpuset_constraint", "the memory nodes of its cpuset ran out"),
    MEMPOLICY_CONSTRAINT("mempolicy_constraint", "the memory nodes its mempolicy allows ran out"),
    KERNEL_OOM("kernel_oom", "the kernel OOM killer killed it (the report does not say which limit)"),
    OOMGUARD_STOP("oomguard_stop", "oomguard stopped it"),
    USERSPACE_OOM_KILLER("userspace_oom_killer", "a userspace OOM daemon killed it"),
    SIGNAL("signal", "it was killed by a signal from someone else"),
    ALLOCATION_FAILURE("allocation_failure", "a memory allocation failed without a kill"),
    CRASHED("crashed", "it crashed"),
    EXITED("exited", "it exited by itself"),
    UNKNOWN("unknown", "the evidence does not say");

    private final String jsonName;
    private final String meaning;

    Verdict(String jsonName, String meaning) {
        this.jsonName = jsonName;
        this.meaning = meaning;
    }

    public String jsonName() {
        return jsonName;
    }

    public String meaning() {
        return meaning;
    }
}
