package dev.oomguard.guard;

import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Detects partial kills: processes of the tree that vanish while an OOM kill counter (host vmstat,
 * or the job's cgroups) has risen and that rise is not yet matched with a vanished process. A
 * process that exits while no kill is unmatched is an ordinary exit and is not reported.
 *
 * <p>The kernel raises the counter before it sends SIGKILL, and the victim stays in {@code /proc}
 * while it exits (about 0.1 to 0.25 s for a 200 MiB R worker on a busy 2-core machine, longer for
 * huge processes), so a tick often sees the rise while the victim is still there and the next
 * tick sees it gone with no rise. A rise therefore stays unmatched ("pending") for up to
 * {@link #DEFAULT_WINDOW} and is matched with the next processes to vanish. When more processes
 * vanish than kills are pending, the largest are taken as the victims: the OOM killer picks the
 * process with the most memory. "Largest" is the most a process held (resident + swapped) while
 * watched, not its last reading: the OOM reaper frees a victim's memory while the victim is still
 * in {@code /proc}, so its last reading is often 0.
 *
 * <p>An instance keeps the pending rises of one run; {@link #detect} looks at two samples only.
 */
public final class PartialKills {
    /** How long a counter rise waits for its victim to vanish before it is dropped. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    /** A counter rise not yet matched with all its victims. */
    private static final class Rise {
        final long atNanos;
        final long size;
        long unmatched;

        Rise(long atNanos, long size) {
            this.atNanos = atNanos;
            this.size = size;
            this.unmatched = size;
        }
    }

    private final long windowNanos;
    private final Deque<Rise> pending = new ArrayDeque<>();
    private final Map<ProcessId, Long> peakKiB = new HashMap<>();

    public PartialKills() {
        this(DEFAULT_WINDOW);
    }

    public PartialKills(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Only what {@code previous} and {@code current} show: a rise between them, processes gone between them. */
    public static List<PartialKill> detect(Sample previous, Sample current) {
        return new PartialKills().next(previous, current);
    }

    /** Kills not yet matched with a vanished process (for tests and diagnostics). */
    public long pendingKills() {
        return pending.stream().mapToLong(r -> r.unmatched).sum();
    }

    /**
     * Takes the next tick; returns the partial kills it revealed, largest process first.
     *
     * @param previous the sample given as {@code current} last time (or the first sample)
     */
    public List<PartialKill> next(Sample previous, Sample current) {
        return next(previous, current, Set::of);
    }

    /**
     * The same, with the kernel's own word where it can be had: {@code loggedVictims} (asked only
     * when a kill is pending and processes vanished) names the PIDs the kernel logged as
     * OOM-killed. A vanished process it names is matched first; while a process it names is still
     * in the tree (a victim takes a moment to exit), other vanished processes are ordinary exits.
     */
    public List<PartialKill> next(Sample previous, Sample current, Supplier<Set<Integer>> loggedVictims) {
        remember(previous);
        remember(current);
        long now = current.takenNanos();
        pending.removeIf(r -> now - r.atNanos > windowNanos);
        long rise = current.oomKills().killsSince(previous.oomKills());
        if (rise > 0) {
            pending.addLast(new Rise(now, rise));
        }
        Set<ProcessId> alive = new HashSet<>();
        current.tree().forEach(p -> alive.add(p.id()));
        List<ProcessMemory> vanished = new ArrayList<>();
        for (ProcessMemory p : previous.tree()) {
            if (!alive.contains(p.id())) {
                vanished.add(p);
            }
        }
        Set<Integer> logged = pending.isEmpty() || vanished.isEmpty() ? Set.of() : loggedVictims.get();
        boolean victimStillThere = current.tree().stream().anyMatch(p -> logged.contains(p.pid()));
        vanished.sort(Comparator.<ProcessMemory>comparingInt(p -> logged.contains(p.pid()) ? 0 : 1)
                .thenComparing(Comparator.comparingLong(this::peak).reversed()));
        List<PartialKill> kills = new ArrayList<>();
        for (ProcessMemory p : vanished) {
            Rise r = pending.peekFirst();
            if (r == null) {
                break;
            }
            if (!logged.isEmpty() && !logged.contains(p.pid()) && victimStillThere) {
                continue; // the kernel named a victim that has not exited yet: this one exited by itself
            }
            kills.add(new PartialKill(p.id(), p.comm(), r.size, peak(p), current.tick()));
            if (--r.unmatched == 0) {
                pending.removeFirst();
            }
        }
        peakKiB.keySet().retainAll(alive);
        return kills;
    }

    private void remember(Sample s) {
        for (ProcessMemory p : s.tree()) {
            peakKiB.merge(p.id(), p.rssAndSwapKiB(), Math::max);
        }
    }

    private long peak(ProcessMemory p) {
        return peakKiB.getOrDefault(p.id(), p.rssAndSwapKiB());
    }
}
