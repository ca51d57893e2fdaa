package dev.oomguard.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.oomguard.report.RunLog;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * {@code --log FILE}: each event of {@value Diagnostics#LOGGER} appended by {@link RunLog}, stamped
 * with the event's time in the local zone (one {@code write(2)} per event, the file opened safely).
 */
final class RunLogAppender extends AppenderBase<ILoggingEvent> {
    private final RunLog log;

    RunLogAppender(RunLog log) {
        this.log = log;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (Diagnostics.LOGGER.equals(event.getLoggerName())) {
            log.append(ZonedDateTime.ofInstant(event.getInstant(), ZoneId.systemDefault()), event.getFormattedMessage());
        }
    }
}
