package dev.oomguard.sample;

/** A process and the {@code oom_score} the kernel's OOM killer would rank it by now. */
public record OomCandidate(int pid, String comm, int oomScore, boolean inTree, long rssKiB) {
}
