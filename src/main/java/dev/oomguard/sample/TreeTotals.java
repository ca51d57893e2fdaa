package dev.oomguard.sample;

import java.util.List;

/**
 * Sums over the tree. RSS counts copy-on-write pages shared by forked workers once per process, so
 * it overstates; {@code pssKiB} covers only the {@code pssProcesses} whose PSS is known.
 */
public record TreeTotals(int processes, long rssAnonKiB, long rssFileKiB, long rssShmemKiB, long swapKiB,
                         long pssKiB, int pssProcesses) {
    public static TreeTotals of(List<ProcessMemory> tree) {
        long anon = 0, file = 0, shmem = 0, swap = 0, pss = 0;
        int withPss = 0;
        for (ProcessMemory p : tree) {
            anon += p.rssAnonKiB();
            file += p.rssFileKiB();
            shmem += p.rssShmemKiB();
            swap += p.swapKiB();
            if (p.pssKiB().isPresent()) {
                pss += p.pssKiB().getAsLong();
                withPss++;
            }
        }
        return new TreeTotals(tree.size(), anon, file, shmem, swap, pss, withPss);
    }

    public long rssKiB() {
        return rssAnonKiB + rssFileKiB + rssShmemKiB;
    }

    public long rssAndSwapKiB() {
        return rssKiB() + swapKiB;
    }
}
