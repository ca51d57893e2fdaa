package dev.oomguard.kernellog;

/**
 * The 5.0+ summary line: {@code oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,
 * mems_allowed=0,oom_memcg=/x,task_memcg=/x,task=python3,pid=9293,uid=0}. Missing keys are null.
 *
 * @param kind      {@code CONSTRAINT_NONE}, {@code _CPUSET}, {@code _MEMORY_POLICY}, {@code _MEMCG}
 * @param globalOom whether the line said {@code global_oom}
 */
public record Constraint(String kind, String nodemask, String cpuset, String memsAllowed,
        String oomMemcg, String taskMemcg, String task, Integer pid, Integer uid, boolean globalOom) {
}
