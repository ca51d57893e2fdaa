package dev.oomguard.guard;

import dev.oomguard.sample.Limit;
import dev.oomguard.units.ByteSize;

/**
 * Where the ladder's thresholds lie in bytes, for kernel usage thresholds and fast reads. A usage
 * file (a cgroup's {@code memory.usage_in_bytes}, say) does not count exactly what the binding
 * limit counts (the limit leaves out reclaimable cache and adds the swap still allowed), but both
 * move byte for byte with the job's growth between two full samples. So a level is carried over as
 * an offset from a pair of readings taken together: {@code base}. Pure.
 */
public final class TriggerLevels {
    private TriggerLevels() {
    }

    /** Bytes used on a limit of {@code capacity} at which {@code t} is reached. */
    public static long usedLevel(Threshold t, ByteSize capacity) {
        long cap = capacity.bytes();
        if (t instanceof Threshold.PercentUsed p) {
            return Math.min(cap, (long) Math.ceil(cap * (p.percent().value() / 100.0)));
        }
        Threshold.HeadroomBelow h = (Threshold.HeadroomBelow) t;
        return Math.max(0, cap - h.headroom().bytes() + 1); // headroom < h  ⇔  used > capacity − h
    }

    /**
     * A usage file's reading taken together with the binding limit of a full sample.
     *
     * @param binding   the binding limit of the last full sample
     * @param fileBytes the usage file's reading at the same time
     */
    public record Base(Limit binding, long fileBytes) {
        /** The usage file's level at which the binding limit's use reaches {@code usedLevel}. */
        public long fileLevel(long usedLevel) {
            return fileBytes + (usedLevel - binding.used().bytes());
        }

        /**
         * As {@link #fileLevel}, for a usage file that never counts less than the limit's use (the
         * binding cgroup's own {@code usage_in_bytes}: working set + cache; {@code memsw}: + swap):
         * a reading paired with a sample taken while the job grew cannot then put a level out of reach.
         */
        public long fileLevelAtMost(long usedLevel) {
            return Math.min(fileLevel(usedLevel), usedLevel);
        }

        /** The binding limit as it stands when the usage file reads {@code fileNow}. */
        public Limit at(long fileNow) {
            long headroom = binding.headroom().bytes() - (fileNow - fileBytes);
            headroom = Math.max(0, Math.min(binding.capacity().bytes(), headroom));
            return new Limit(binding.source(), binding.description(), binding.capacity(), ByteSize.ofBytes(headroom));
        }
    }
}
