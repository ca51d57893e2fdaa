package dev.oomguard.guard;

import dev.oomguard.sample.Limit;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** The numbers a decision was taken on, for the log and the user. */
public record Figures(long tick, Limit binding, OptionalDouble growthBytesPerSecond, Optional<Duration> timeToExhaustion) {

    /** {@code host: RAM 15 GiB + swap 4 GiB 95.2% used, 912 MiB left, growing 6.1 MiB/s, full in ~2m30s}. */
    public String describe() {
        StringBuilder b = new StringBuilder(binding.description()).append(String.format(Locale.ROOT,
                " — %.1f%% used, %s left", binding.percentUsed(), binding.headroom().human()));
        growthBytesPerSecond.ifPresent(r -> b.append(r > 0
                ? ", growing " + ByteSize.ofBytes((long) r).human() + "/s"
                : r < 0 ? ", shrinking " + ByteSize.ofBytes((long) -r).human() + "/s" : ", flat"));
        timeToExhaustion.ifPresent(d -> b.append(", full in ~").append(human(d)));
        return b.toString();
    }

    /** {@code at 95.2% used, growing 40 MiB/s}: what a decision was based on, in a few words. */
    String basis(boolean steady) {
        String at = String.format(Locale.ROOT, "at %.1f%% used", binding.percentUsed());
        double r = growthBytesPerSecond.orElse(0);
        if (!steady || r <= 0) {
            return at + (r > 0 ? ", no steady growth" : r < 0 ? ", shrinking" : ", flat");
        }
        return at + ", growing " + ByteSize.ofBytes((long) r).human() + "/s";
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    }
}
