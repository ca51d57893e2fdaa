package dev.oomguard.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the judgement table (scripts/bench-judgement): every profile × limit → the true outcome,
 * the guard's first action and at what share of the limit, its first checkpoint and stop, and
 * whether it was a false stop, a false checkpoint below the floor, or a missed exhaustion; then a
 * one-line count per interval. Arguments: intervals (default 5s 1s), e.g. {@code 5s 500ms}.
 */
public final class JudgementBench {
    private JudgementBench() {
    }

    public static void main(String[] args) {
        List<Duration> intervals = new ArrayList<>();
        for (String a : args) {
            intervals.add(a.endsWith("ms") ? Duration.ofMillis(Long.parseLong(a.substring(0, a.length() - 2)))
                    : Duration.ofSeconds(Long.parseLong(a.replaceFirst("s$", ""))));
        }
        if (intervals.isEmpty()) {
            intervals.addAll(JudgementReplayTest.INTERVALS);
        }
        List<ProfileCase> cases = ProfileCase.all();
        java.util.Map<String, ProfileTrace> traces = new java.util.HashMap<>();
        List<String> counts = new ArrayList<>();
        for (Duration interval : intervals) {
            JudgementReplay replay = JudgementReplay.defaults(interval);
            System.out.printf(Locale.ROOT, "%n### interval %s, default levels (warn 80%%, checkpoint 90%%, stop 95%%)%n%n",
                    human(interval));
            System.out.println("| profile | limit | peak | expected | first action | checkpoint at | stop (before exhaustion) | verdict |");
            System.out.println("|---|---:|---:|---|---|---|---|---|");
            int fits = 0;
            int falseStops = 0;
            int falseCheckpoints = 0;
            int exhausting = 0;
            int missed = 0;
            long leastLead = Long.MAX_VALUE;
            for (ProfileCase c : cases) {
                ProfileTrace t = traces.computeIfAbsent(c.profile(), ProfileTrace::read);
                JudgementReplay.Judgement j = replay.replay(t, c);
                String verdict = j.verdict(JudgementReplayTest.FLOOR_PERCENT);
                if (c.fits()) {
                    fits++;
                    falseStops += j.falseStop() ? 1 : 0;
                    falseCheckpoints += j.falseCheckpoint(JudgementReplayTest.FLOOR_PERCENT) ? 1 : 0;
                } else {
                    exhausting++;
                    missed += j.missed() ? 1 : 0;
                    if (j.stop().isPresent()) {
                        leastLead = Math.min(leastLead, c.exhaustsAtMillis().getAsLong() - j.stop().get().tMillis());
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %d MiB | %.0f%% | %s | %s | %s | %s | %s |%n", c.profile(),
                        c.limitMiB(), j.peakPercent(), c.expected(),
                        j.first().map(JudgementReplay.Done::describe).orElse("none"),
                        j.checkpoint().map(d -> String.format(Locale.ROOT, "%.1f%%", d.percent())).orElse("—"),
                        j.stop().map(d -> String.format(Locale.ROOT, "%.1f s, %.1f%%", d.tMillis() / 1000.0, d.percent())
                                + (c.fits() ? "" : String.format(Locale.ROOT, " (%.1f s before)",
                                        (c.exhaustsAtMillis().getAsLong() - d.tMillis()) / 1000.0)))
                                .orElse("—"),
                        verdict);
            }
            String count = String.format(Locale.ROOT, "interval %s: %d cases; %d fit: %d false stops, %d checkpoints"
                    + " below the floor; %d exhaust: %d missed, the closest stopped %.1f s before", human(interval),
                    cases.size(), fits, falseStops, falseCheckpoints, exhausting, missed, leastLead / 1000.0);
            counts.add(count);
            System.out.println();
            System.out.println(count);
        }
        System.out.println();
        counts.forEach(System.out::println);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
