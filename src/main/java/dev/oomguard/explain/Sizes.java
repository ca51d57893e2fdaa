package dev.oomguard.explain;

import java.util.Locale;

/** Rounding memory figures to sizes people buy and type. */
final class Sizes {
    static final long KIB_PER_GIB = 1024L * 1024;

    private Sizes() {
    }

    /** The smallest power of two (in GiB) at least {@code gib}: machines come in these sizes. */
    static long machineGiB(double gib) {
        long size = 1;
        while (size < gib && size < (1L << 40)) {
            size *= 2;
        }
        return size;
    }

    /** The smallest of 2^k or 1.5·2^k MiB at least {@code mib}: a limit to type. */
    static long limitMiB(double mib) {
        long p = 1;
        while (true) {
            if (p >= mib) {
                return p;
            }
            if (p * 3 / 2 >= mib && p >= 2) {
                return p * 3 / 2;
            }
            if (p > (1L << 40)) {
                return p;
            }
            p *= 2;
        }
    }

    /** {@code 15.0 GiB}, {@code 96.0 MiB}: one decimal, binary units, from KiB. */
    static String kib(long kib) {
        double v = kib;
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A limit for Slurm's {@code --mem} or a cgroup: {@code 96M}, {@code 2G}. */
    static String limitArg(long mib) {
        return mib % 1024 == 0 ? (mib / 1024) + "G" : mib + "M";
    }

    static String gib1(long kib) {
        return String.format(Locale.ROOT, "%.1f", kib / (double) KIB_PER_GIB);
    }
}
