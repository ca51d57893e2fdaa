package dev.oomguard.kernellog;

/**
 * A {@code Killed process …} line in any of its forms. Figures not printed are null.
 *
 * @param context           the prefix ({@code Out of memory}, {@code Memory cgroup out of memory}), or null
 * @param sharingSameMemory a {@code Kill process N (x) sharing same memory} line
 */
public record KilledProcess(String context, int pid, String comm, Integer uid, Long totalVmKiB,
        Long anonRssKiB, Long fileRssKiB, Long shmemRssKiB, Long pgtablesKiB, Integer oomScoreAdj,
        boolean sharingSameMemory) {
    public KilledProcess {
        if (pid < 0 || comm == null) {
            throw new IllegalArgumentException("bad killed process: " + pid + " " + comm);
        }
    }

    /** Resident memory as the kill line counts it (anon + file + shmem), or null. */
    public Long rssKiB() {
        if (anonRssKiB == null) {
            return null;
        }
        return anonRssKiB + (fileRssKiB == null ? 0 : fileRssKiB) + (shmemRssKiB == null ? 0 : shmemRssKiB);
    }
}
