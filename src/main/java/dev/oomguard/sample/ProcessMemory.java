package dev.oomguard.sample;

import java.util.OptionalLong;

/**
 * One process of the tree at one tick. Resident memory split as the kernel reports it; PSS only
 * when smaps_rollup was read (it is rationed), else the last value read and its age in ticks.
 */
public record ProcessMemory(ProcessId id, int ppid, String comm, long rssAnonKiB, long rssFileKiB,
                            long rssShmemKiB, long swapKiB, OptionalLong pssKiB) {
    public ProcessMemory {
        if (rssAnonKiB < 0 || rssFileKiB < 0 || rssShmemKiB < 0 || swapKiB < 0) {
            throw new IllegalArgumentException("negative memory figure for " + id + " (" + comm + ")");
        }
    }

    public int pid() {
        return id.pid();
    }

    public long rssKiB() {
        return rssAnonKiB + rssFileKiB + rssShmemKiB;
    }

    /** Resident plus swapped: what this process holds, counting shared pages in full. */
    public long rssAndSwapKiB() {
        return rssKiB() + swapKiB;
    }
}
