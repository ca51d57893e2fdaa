package dev.oomguard.guard;

import dev.oomguard.sample.ProcessId;

/** A process of the job that vanished between two ticks while an OOM kill counter rose. */
public record PartialKill(ProcessId process, String comm, long oomKillsRise, long lastRssAndSwapKiB, long tick) {
    public String describe() {
        return "process " + process.pid() + " (" + comm + ") vanished while oom_kill rose by " + oomKillsRise;
    }
}
