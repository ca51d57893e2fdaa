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

/** {@link Diagnostics} through logback: loaded only by a run that logs something. */
final class LogbackDiagnostics {
    private LogbackDiagnostics() {
    }

    static Diagnostics start(boolean verbose, Optional<RunLog> log, PrintWriter err, Consumer<String> say,
            Optional<Path> site) {
        LoggerContext context = LogbackSetup.context(site);
        site.ifPresent(file -> LogbackSetup.firstError(context).ifPresent(problem ->
                say.accept("logback configuration " + file + ": " + problem)));
        Logger logger = context.getLogger(Diagnostics.LOGGER);
        if (verbose || log.isPresent()) {
            logger.setLevel(Level.DEBUG); // -v and --log show details whatever the site's level
        }
        if (verbose) {
            attach(logger, new StderrAppender(err), context);
        }
        log.ifPresent(l -> attach(logger, new RunLogAppender(l), context));
        org.slf4j.Logger events = logger; // oomguard speaks SLF4J; logback is behind it
        return new Diagnostics(events::info, events::debug, context::stop);
    }

    private static void attach(Logger logger, Appender<ILoggingEvent> appender, LoggerContext context) {
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
    }
}
