package dev.oomguard.proc;

import java.util.Optional;

/**
 * {@code /proc/pressure/memory} (or a cgroup's {@code memory.pressure}): the share of time some
 * (or all) tasks stalled on memory, averaged over 10, 60 and 300 s, and the total stall in µs.
 * Thrashing shows here before the OOM killer acts; it is a level to report, not a limit.
 */
public record MemoryPressure(double someAvg10, double someAvg60, double fullAvg10, long someTotalMicros,
                             long fullTotalMicros) {
    public static final String PATH = "/proc/pressure/memory";

    /** Empty when the kernel has no PSI (before 4.20, or booted with psi=0). */
    public static Optional<MemoryPressure> read(ProcFs fs) {
        return readFile(fs, PATH);
    }

    /**
     * A pressure file at {@code path}: {@link #PATH} or a cgroup v2 group's {@code memory.pressure}
     * (present in every group of the v2 hierarchy, with or without the memory controller).
     */
    public static Optional<MemoryPressure> readFile(ProcFs fs, String path) {
        return fs.readIfPresent(path).map(t -> parse(t, fs.path(path).toString()));
    }

    public static MemoryPressure parse(String text, String source) {
        double[] some = null;
        double[] full = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("some ")) {
                some = fields(line, source);
            } else if (line.startsWith("full ")) {
                full = fields(line, source);
            } else if (!line.isBlank()) {
                throw new Malformed(source, line, "expected 'some ...' or 'full ...'");
            }
        }
        if (some == null || full == null) {
            throw new Malformed(source, null, "expected a 'some' and a 'full' line");
        }
        return new MemoryPressure(some[0], some[1], full[0], (long) some[3], (long) full[3]);
    }

    /** {@code avg10=0.00 avg60=0.00 avg300=0.00 total=0}, in that order. */
    private static double[] fields(String line, String source) {
        String[] parts = line.trim().split("\\s+");
        String[] names = {"avg10=", "avg60=", "avg300=", "total="};
        if (parts.length != 5) {
            throw new Malformed(source, line, "expected avg10, avg60, avg300 and total");
        }
        double[] values = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i + 1].startsWith(names[i])) {
                throw new Malformed(source, line, "expected " + names[i]);
            }
            try {
                values[i] = Double.parseDouble(parts[i + 1].substring(names[i].length()));
            } catch (NumberFormatException e) {
                throw new Malformed(source, line, "not a number after " + names[i]);
            }
        }
        return values;
    }
}
