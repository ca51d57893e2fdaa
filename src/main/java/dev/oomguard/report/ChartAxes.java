package dev.oomguard.report;

import java.util.ArrayList;
import java.util.List;

/** Nice ticks: time in s, min, h or days whatever the run's length; bytes in MiB or GiB. */
final class ChartAxes {
    /** A tick at {@code value} (ms or bytes) with its label. */
    record Tick(double value, String label) {
    }

    private static final long S = 1000;
    private static final long MIN = 60 * S;
    private static final long H = 60 * MIN;
    private static final long D = 24 * H;
    // Steps a reader counts in: never 7 s or 40 min.
    private static final long[] TIME_STEPS = {100, 200, 500, S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, MIN, 2 * MIN,
        5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 28 * D};
    private static final int MAX_TICKS = 8;

    private ChartAxes() {
    }

    static List<Tick> time(long spanMillis) {
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long s : TIME_STEPS) {
            if (spanMillis / s <= MAX_TICKS) {
                step = s;
                break;
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (long t = 0; t <= spanMillis; t += step) {
            ticks.add(new Tick(t, timeLabel(t, step)));
        }
        return ticks;
    }

    /** Labelled in the unit of the step, so every label is a whole number (or tenths of a second). */
    static String timeLabel(long t, long step) {
        if (step < S) {
            return Svg.trim(t / 1000.0) + " s";
        }
        if (step < MIN) {
            return t / S + " s";
        }
        if (step < H) {
            return t / MIN + " min";
        }
        if (step < D) {
            return t / H + " h";
        }
        return t / D + " d";
    }

    /** Ticks from 0 up to at least {@code max} bytes, 1-2-5 steps in MiB or GiB. */
    static List<Tick> bytes(double max) {
        double unit = max >= 2.0 * (1L << 30) ? (1L << 30) : (1L << 20);
        String name = unit == (1L << 30) ? " GiB" : " MiB";
        double inUnits = Math.max(max / unit, 0.001);
        double step = Math.pow(10, Math.floor(Math.log10(inUnits / 6)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (inUnits / (step * m) <= 6) {
                step *= m;
                break;
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i * step <= inUnits * 1.0001 + step; i++) {
            ticks.add(new Tick(i * step * unit, Svg.trim(Math.round(i * step * 1000) / 1000.0) + name));
            if (i * step >= inUnits) {
                break;
            }
        }
        return ticks;
    }
}
