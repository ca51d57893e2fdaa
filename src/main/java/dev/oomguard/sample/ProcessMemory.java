package dev.oomguard.sample;

import java.util.OptionalLong;

/**
 * One process of the tree at one tick. Resident memory split as the kernel reports it; PSS only
 * when smaps_rollup was read (it is rationed), else the last value read and its age in ticks.
 * {@code hwmKiB} is the kernel's high-water mark of the process's resident memory ({@code VmHWM}):
 * the most it held at any moment since its {@code exec}, between ticks included (0: unknown).
 */
public record ProcessMemory(ProcessId id, int ppid, String comm, long rssAnonKiB, long rssFileKiB,
                            long rssShmemKiB, long swapKiB, OptionalLong pssKiB, long hwmKiB) {
    public ProcessMemory {
        if (rssAnonKiB < 0 || rssFileKiB < 0 || rssShmemKiB < 0 || swapKiB < 0 || hwmKiB < 0) {
            throw new IllegalArgumentException("negative memory figure for " + id + " (" + comm + ")");
        }
    }

    /** Without a high-water mark. */
    public ProcessMemory(ProcessId id, int ppid, String comm, long rssAnonKiB, long rssFileKiB, long rssShmemKiB,
            long swapKiB, OptionalLong pssKiB) {
        this(id, ppid, comm, rssAnonKiB, rssFileKiB, rssShmemKiB, swapKiB, pssKiB, 0);
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
