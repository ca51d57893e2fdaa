package dev.oomguard.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A recorded memory profile (src/test/resources/profiles/NAME.csv): the binding limit's used bytes
 * of a real job over time, as {@code oomguard --record} measured them, under a commented header
 * that says how and where it was recorded (see make/record-all.sh). Pure once read.
 */
record ProfileTrace(String name, String what, long[] tMillis, long[] usedBytes) {
    static final Path DIR = Path.of("src/test/resources/profiles");

    ProfileTrace {
        if (tMillis.length != usedBytes.length || tMillis.length < 2) {
            throw new IllegalArgumentException(name + ": a trace needs 2+ samples, as many times as values");
        }
        for (int i = 1; i < tMillis.length; i++) {
            if (tMillis[i] <= tMillis[i - 1]) {
                throw new IllegalArgumentException(name + ": times must rise (line of t_ms " + tMillis[i] + ")");
            }
        }
    }

    static ProfileTrace read(String name) {
        Path file = DIR.resolve(name + ".csv");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String what = "";
        List<long[]> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("# what: ")) {
                what = line.substring(8);
            } else if (!line.startsWith("#") && !line.startsWith("t_ms") && !line.isBlank()) {
                String[] f = line.split(",");
                rows.add(new long[] {Long.parseLong(f[0].trim()), Long.parseLong(f[1].trim())});
            }
        }
        long[] t = rows.stream().mapToLong(r -> r[0]).toArray();
        long[] u = rows.stream().mapToLong(r -> r[1]).toArray();
        return new ProfileTrace(name, what, t, u);
    }

    long peakBytes() {
        long peak = 0;
        for (long u : usedBytes) {
            peak = Math.max(peak, u);
        }
        return peak;
    }

    long endMillis() {
        return tMillis[tMillis.length - 1];
    }

    /** The true outcome at a limit: the time of the first sample at or over it (exhausts), else empty (fits). */
    OptionalLong exhaustsAtMillis(long limitBytes) {
        for (int i = 0; i < tMillis.length; i++) {
            if (usedBytes[i] >= limitBytes) {
                return OptionalLong.of(tMillis[i]);
            }
        }
        return OptionalLong.empty();
    }
}
