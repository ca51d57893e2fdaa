package dev.oomguard.kernellog;

import java.util.Map;
import java.util.Optional;

/**
 * The Mem-Info block of a global OOM. Values the report did not contain are null.
 *
 * @param freeSwapKiB      {@code Free swap  = …kB}
 * @param totalSwapKiB     {@code Total swap = …kB}
 * @param ramPages         {@code … pages RAM}
 * @param reservedPages    {@code … pages reserved}
 * @param counterPages     the first record's {@code key:value} pairs ({@code shmem}, {@code free}, …), in pages
 * @param hugepagesTotal   summed {@code hugepages_total=} over nodes (all sizes)
 * @param hugepagesKiB     memory held by the hugetlb pools, summed over nodes and sizes
 */
public record MemInfo(Long freeSwapKiB, Long totalSwapKiB, Long ramPages, Long reservedPages,
        Map<String, Long> counterPages, Long hugepagesTotal, Long hugepagesKiB) {
    public MemInfo {
        counterPages = Map.copyOf(counterPages);
    }

    public Optional<Long> pages(String key) {
        return Optional.ofNullable(counterPages.get(key));
    }
}
