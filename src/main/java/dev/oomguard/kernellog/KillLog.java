package dev.oomguard.kernellog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PIDs the kernel has logged as OOM-killed since a point in {@code /dev/kmsg} (or a source of
 * its records): asked when an OOM kill counter rose and several processes of the tree vanished, so
 * the victims are named by the kernel rather than guessed. Unreadable kmsg gives an empty set (the caller then guesses).
 */
public final class KillLog implements Supplier<Set<Integer>> {
    /** {@code oom-kill:…,pid=N,} (4.19+) and {@code Killed process N (comm)} (all kernels). */
    private static final Pattern VICTIM = Pattern.compile("(?:\\boom-kill:.*?[,:]pid=|\\bKilled process )(\\d+)\\b");

    private final KernelLogSource source;
    private final Supplier<OptionalLong> fromSequence;

    /** @param fromSequence the first kmsg record of interest (the run's start), when known */
    public KillLog(KernelLogSource source, Supplier<OptionalLong> fromSequence) {
        this.source = source;
        this.fromSequence = fromSequence;
    }

    @Override
    public Set<Integer> get() {
        try (Reader in = source.open(Duration.ofMillis(200)); BufferedReader lines = new BufferedReader(in)) {
            return victims(lines, fromSequence.get().orElse(0));
        } catch (SourceUnavailableException | IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** Victims in kmsg records ({@code prio,seq,usec,flags;message}) numbered {@code from} or later. */
    static Set<Integer> victims(BufferedReader records, long from) throws IOException {
        Set<Integer> pids = new LinkedHashSet<>();
        for (String line = records.readLine(); line != null; line = records.readLine()) {
            int c1 = line.indexOf(',');
            int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
            int semi = line.indexOf(';');
            if (c2 < 0 || semi < c2) {
                continue; // a continuation line (KEY=value) or not a record
            }
            long seq;
            try {
                seq = Long.parseLong(line.substring(c1 + 1, c2));
            } catch (NumberFormatException e) {
                continue;
            }
            if (seq < from) {
                continue;
            }
            Matcher m = VICTIM.matcher(line.substring(semi + 1));
            if (m.find()) {
                pids.add(Integer.parseInt(m.group(1)));
            }
        }
        return pids;
    }
}
