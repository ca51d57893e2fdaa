package dev.oomguard.proc;

/** cgroup v1 (one hierarchy per controller) or v2 (the unified hierarchy). */
public enum CgroupVersion {
    V1, V2
}
