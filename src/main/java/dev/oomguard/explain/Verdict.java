package dev.oomguard.explain;

import java.util.Locale;

/** Why a job or process died, as far as the evidence goes. The JSON names are stable. */
public enum Verdict {
    MACHINE_OOM("the whole machine ran out of memory (RAM + swap)"),
    CGROUP_LIMIT("a memory-cgroup limit was reached"),
    CPUSET_CONSTRAINT("the memory nodes of its cpuset ran out"),
    MEMPOLICY_CONSTRAINT("the memory nodes its mempolicy allows ran out"),
    KERNEL_OOM("the kernel OOM killer killed it (the report does not say which limit)"),
    OOMGUARD_STOP("oomguard stopped it"),
    USERSPACE_OOM_KILLER("a userspace OOM daemon killed it"),
    SIGNAL("it was killed by a signal from someone else"),
    ALLOCATION_FAILURE("a memory allocation failed without a kill"),
    CRASHED("it crashed"),
    EXITED("it exited by itself"),
    UNKNOWN("the evidence does not say");

    private final String meaning;

    Verdict(String meaning) {
        this.meaning = meaning;
    }

    /** {@code machine_oom}, {@code cgroup_limit}, ...: the constant's name in lower case, stable in the JSON. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String meaning() {
        return meaning;
    }
}
