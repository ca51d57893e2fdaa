package dev.oomguard.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.oomguard.report.RunLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * oomguard's diagnostics for one run: {@link #event} for what the log keeps (every line oomguard
 * says, the summary), {@link #detail} for what {@code -v} shows. Both go to the SLF4J logger
 * {@value #LOGGER} (INFO and DEBUG) of a logback context of the run's own, in which oomguard's
 * appenders (stderr under {@code -v}, the {@code --log} file) sit beside a site's configuration.
 *
 * <p>A run with no {@code -v}, no {@code --log} and no site configuration gets {@link #NONE}:
 * logback is not even loaded. Closing stops the context (a site's appenders flush).
 */
public final class Diagnostics implements AutoCloseable {
    public static final String LOGGER = "oomguard";
    /** Logs nothing. */
    public static final Diagnostics NONE = new Diagnostics(null, null);

    private final org.slf4j.Logger logger;
    private final LoggerContext context;

    private Diagnostics(org.slf4j.Logger logger, LoggerContext context) {
        this.logger = logger;
        this.context = context;
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
        LoggerContext context = LogbackSetup.context(site);
        site.ifPresent(file -> LogbackSetup.firstError(context).ifPresent(problem ->
                say.accept("logback configuration " + file + ": " + problem)));
        Logger logger = context.getLogger(LOGGER);
        if (verbose || log.isPresent()) {
            logger.setLevel(Level.DEBUG); // -v and --log show details whatever the site's level
        }
        if (verbose) {
            attach(logger, new StderrAppender(err), context);
        }
        log.ifPresent(l -> attach(logger, new RunLogAppender(l), context));
        return new Diagnostics(logger, context);
    }

    /** A line for the log (and a site's appenders), not for stderr. */
    public void event(String line) {
        if (logger != null) {
            logger.info(line);
        }
    }

    /** A detail: on stderr under {@code -v}, in the log, at DEBUG for a site's appenders. */
    public void detail(String line) {
        if (logger != null) {
            logger.debug(line);
        }
    }

    /** Stops the appenders (the {@code --log} file itself stays open for the process's end). */
    @Override
    public void close() {
        if (context != null) {
            context.stop();
        }
    }

    private static void attach(Logger logger, Appender<ILoggingEvent> appender, LoggerContext context) {
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
    }
}
