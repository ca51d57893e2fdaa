package dev.oomguard.explain;

import dev.oomguard.kernellog.ReportTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Says when a report was logged, and how that time was obtained. */
final class WhenText {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);

    private WhenText() {
    }

    static String of(ReportTime t, ZoneId zone) {
        String boot = t.bootSeconds().map(s -> String.format(Locale.ROOT, "%.3f s after boot", s)).orElse(null);
        if (t.wall().isPresent()) {
            String wall = FORMAT.format(t.wall().get().atZone(zone));
            if (t.wallExact()) {
                return wall;
            }
            return wall + " (approx.: computed from the boot time" + (boot == null ? "" : ", " + boot)
                    + "; printk's clock stops during suspend, so after one this is too early)";
        }
        return boot == null ? "an unknown time (the log has no stamps)"
                : boot + " (the log has no wall-clock time)";
    }
}
