package dev.oomguard.sample;

import dev.oomguard.units.ByteSize;

/**
 * A limit that can end the job, measured at one tick: {@code capacity} (the limit plus the swap it
 * may use), {@code headroom} (what is still left before the kernel, or the user's cap, acts) and
 * {@code used = capacity - headroom}. {@code description} says which one in words, e.g.
 * {@code cgroup v1 /slurm/job_42: limit 4 GiB + swap 2 GiB}.
 */
public record Limit(LimitSource source, String description, ByteSize capacity, ByteSize headroom) {
    public Limit {
        if (source == null || description == null || description.isBlank()) {
            throw new IllegalArgumentException("a limit needs a source and a description");
        }
        if (capacity.bytes() == 0) {
            throw new IllegalArgumentException("a limit of 0 bytes: " + description);
        }
        if (headroom.compareTo(capacity) > 0) {
            headroom = capacity; // MemAvailable may exceed the nominal total by a few pages
        }
    }

    public ByteSize used() {
        return capacity.minusClamped(headroom);
    }

    /** Percent of the capacity in use, 0–100. */
    public double percentUsed() {
        return 100.0 * used().bytes() / capacity.bytes();
    }

    /** Identifies the same limit from tick to tick (for growth series). */
    public String key() {
        return source + " " + description.split(":", 2)[0];
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s (%.1f%% used, %s left)", description, percentUsed(),
                headroom.human());
    }
}
