package dev.oomguard.logging;

import dev.oomguard.report.RunLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * oomguard's diagnostics for one run: {@link #event} for what the log keeps (every line oomguard
 * says, the summary), {@link #detail} for what {@code -v} shows. Both go to the SLF4J logger
 * {@value #LOGGER} (INFO and DEBUG) of a logback context of the run's own ({@link LogbackDiagnostics}),
 * in which oomguard's appenders (stderr under {@code -v}, the {@code --log} file) sit beside a
 * site's configuration.
 *
 * <p>A run with no {@code -v}, no {@code --log} and no site configuration gets {@link #NONE}, and
 * no class of logback or SLF4J is loaded: this class names none of them.
 */
public final class Diagnostics implements AutoCloseable {
    public static final String LOGGER = "oomguard";
    /** Logs nothing. */
    public static final Diagnostics NONE = new Diagnostics(line -> { }, line -> { }, () -> { });

    private final Consumer<String> events;
    private final Consumer<String> details;
    private final Runnable stop;

    Diagnostics(Consumer<String> events, Consumer<String> details, Runnable stop) {
        this.events = events;
        this.details = details;
        this.stop = stop;
    }

    /**
     * The diagnostics of this run; logback is initialised here only when something is logged.
     *
     * @param verbose {@code -v}: details on {@code err}
     * @param log     {@code --log}: already opened (refused before the job when it cannot be)
     * @param err     oomguard's stderr
     * @param say     how to tell the user, once, that the site's configuration has errors
     */
    public static Diagnostics start(boolean verbose, Optional<RunLog> log, PrintWriter err, Consumer<String> say) {
        return start(verbose, log, err, say, SiteConfig.find());
    }

    static Diagnostics start(boolean verbose, Optional<RunLog> log, PrintWriter err, Consumer<String> say,
            Optional<Path> site) {
        if (!verbose && log.isEmpty() && site.isEmpty()) {
            return NONE;
        }
        // Logback starts (tens of ms; a site's XML, more) while the run goes on preparing the job; the
        // first line logged waits for it, so every line still comes in order, where it came before.
        CompletableFuture<Diagnostics> ready = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                ready.complete(LogbackDiagnostics.start(verbose, log, err, say, site));
            } catch (RuntimeException | LinkageError e) { // a runtime without a module logback needs, say
                say.accept("logging without logback (" + e + ")");
                ready.complete(direct(verbose, log, err));
            }
        }, "oomguard-logging");
        starter.setDaemon(true);
        starter.start();
        return new Diagnostics(line -> ready.join().event(line), line -> ready.join().detail(line),
                () -> ready.join().close());
    }

    /** -v and --log as they were before logback: never lose them because logback could not start. */
    private static Diagnostics direct(boolean verbose, Optional<RunLog> log, PrintWriter err) {
        Consumer<String> logged = line -> log.ifPresent(l -> l.accept(line));
        return new Diagnostics(logged, line -> {
            if (verbose) {
                err.println("oomguard: " + line);
                err.flush();
            }
            logged.accept(line);
        }, () -> { });
    }

    /** Whether events go anywhere (a {@code --log} file, a site's appenders, {@code -v}). */
    public boolean logsEvents() {
        return this != NONE;
    }

    /** A line for the log (and a site's appenders), not for stderr. */
    public void event(String line) {
        events.accept(line);
    }

    /** A detail: on stderr under {@code -v}, in the log, at DEBUG for a site's appenders. */
    public void detail(String line) {
        details.accept(line);
    }

    /** Stops the appenders (a site's flush; the {@code --log} file itself stays open to the process's end). */
    @Override
    public void close() {
        stop.run();
    }
}
