package dev.oomguard.guard;

import dev.oomguard.sample.Limit;
import dev.oomguard.units.ByteSize;
import java.util.Locale;

/**
 * When a step of the ladder is due, on the binding limit: either percent used ({@code 90%}) or
 * headroom left ({@code 1G}: act when less than 1 GiB is left). {@code parse} and
 * {@code toString} round-trip.
 */
public sealed interface Threshold permits Threshold.PercentUsed, Threshold.HeadroomBelow {

    /** Reached: at or above the percentage; below the headroom. */
    boolean reached(Limit limit);

    /** Clearly back below the threshold, by {@code hysteresis} points of the capacity: re-arm. */
    boolean cleared(Limit limit, Percent hysteresis);

    /**
     * Reads {@code 90%} or a size with a unit ({@code 1G}, {@code 512M}). A bare number is refused:
     * it could mean either.
     *
     * @throws IllegalArgumentException with the text and the expected forms, for the CLI's exit 125
     */
    public static Threshold parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.endsWith("%")) {
            return new PercentUsed(Percent.parse(t));
        }
        if (!t.isEmpty() && Character.isLetter(t.charAt(t.length() - 1))) {
            try {
                return new HeadroomBelow(ByteSize.parse(t));
            } catch (IllegalArgumentException e) {
                // fall through to the one message that names both forms
            }
        }
        throw new IllegalArgumentException("not a threshold: '" + text
                + "' (expected percent used like 90% or headroom left like 1G, 512M)");
    }

    record PercentUsed(Percent percent) implements Threshold {
        @Override
        public boolean reached(Limit limit) {
            return limit.percentUsed() >= percent.value();
        }

        @Override
        public boolean cleared(Limit limit, Percent hysteresis) {
            return limit.percentUsed() < percent.value() - hysteresis.value();
        }

        @Override
        public String toString() {
            return percent.toString();
        }
    }

    record HeadroomBelow(ByteSize headroom) implements Threshold {
        public HeadroomBelow {
            if (headroom.bytes() == 0) {
                throw new IllegalArgumentException("a headroom threshold of 0 never fires: '" + headroom + "'");
            }
        }

        @Override
        public boolean reached(Limit limit) {
            return limit.headroom().compareTo(headroom) < 0;
        }

        @Override
        public boolean cleared(Limit limit, Percent hysteresis) {
            long margin = (long) (limit.capacity().bytes() * hysteresis.value() / 100);
            return limit.headroom().bytes() >= headroom.bytes() + margin;
        }

        /** Exact for parse: {@code 1G}; never a bare number. */
        @Override
        public String toString() {
            String s = headroom.toString();
            return Character.isDigit(s.charAt(s.length() - 1)) ? s.toUpperCase(Locale.ROOT) + "B" : s;
        }
    }
}
