package dev.oomguard.report;

import dev.oomguard.guard.Growth;
import dev.oomguard.guard.Relay;
import dev.oomguard.guard.TickListener;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.Sample;
import dev.oomguard.units.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What a person at the terminal sees while the job runs: the tree's memory for the summary's
 * sparkline (always), and, only when stderr is a terminal and asked for, the terminal/tmux pane
 * title ({@code --title}, an OSC 2 sequence, which never touches the job's output) or a live
 * status line on stderr ({@code --status}, shared with the job's own progress bars, hence
 * opt-in).
 */
public final class TerminalStatus extends Relay {
    private static final long EVERY_NANOS = 1_000_000_000L;
    private final Sparkline spark = new Sparkline(40);
    private final Growth growth = new Growth(Duration.ofMinutes(2).toNanos(), 96);
    private final PrintWriter err;
    private final boolean title;
    private final boolean status;
    private long lastNanos = Long.MIN_VALUE;

    public TerminalStatus(TickListener next, PrintWriter err, boolean title, boolean status) {
        super(next);
        this.err = err;
        this.title = title;
        this.status = status;
    }

    @Override
    public void sampled(Sample s) {
        super.sampled(s);
        spark.add(s.totals().rssAndSwapKiB() * 1024);
        Limit binding = s.binding();
        growth.add(s.takenNanos(), binding.used().bytes());
        if ((title || status) && (lastNanos == Long.MIN_VALUE || s.takenNanos() - lastNanos >= EVERY_NANOS)) {
            lastNanos = s.takenNanos();
            String text = text(binding, growth.bytesPerSecond());
            synchronized (err) {
                if (title) {
                    err.print("\033]2;" + text + "\007");
                }
                if (status) {
                    err.print("\r" + text + "\033[K");
                }
                err.flush();
            }
        }
    }

    /** {@code oomguard: 212 MiB/256 MiB (83%), 44 MiB left, full in ~4s}. */
    static String text(Limit l, OptionalDouble bytesPerSecond) {
        String eta = "";
        if (bytesPerSecond.isPresent() && bytesPerSecond.getAsDouble() > 0) {
            long seconds = (long) (l.headroom().bytes() / bytesPerSecond.getAsDouble());
            eta = seconds < 7 * 86_400 ? ", full in ~" + Durations.format(Duration.ofSeconds(seconds)) : "";
        }
        return String.format(Locale.ROOT, "oomguard: %s/%s (%.0f%%), %s left%s", l.used().human(),
                l.capacity().human(), l.percentUsed(), l.headroom().human(), eta);
    }

    /** Clears the status line; leaves a final title. */
    public void finish(String outcome) {
        synchronized (err) {
            if (status) {
                err.print("\r\033[K");
            }
            if (title) {
                err.print("\033]2;oomguard: " + outcome + "\007");
            }
            err.flush();
        }
    }

    public String sparkline(boolean unicode) {
        return spark.render(unicode);
    }
}
