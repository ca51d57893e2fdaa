package dev.oomguard.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintWriter;

/**
 * {@code -v}: the details (DEBUG events of {@value Diagnostics#LOGGER}) on oomguard's stderr, as
 * the console writes its own lines ({@code oomguard: message}). The other events are lines the
 * console has already shown.
 */
final class StderrAppender extends AppenderBase<ILoggingEvent> {
    private static final String PREFIX = "oomguard: ";
    private final PrintWriter err;

    StderrAppender(PrintWriter err) {
        this.err = err;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel() == Level.DEBUG && Diagnostics.LOGGER.equals(event.getLoggerName())) {
            err.println(PREFIX + event.getFormattedMessage());
            err.flush();
        }
    }
}
