package dev.oomguard.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The logback context of one run, made here and not through SLF4J's global binding (which
 * would configure itself with logback's defaults: every event on stdout, the job's): empty, or
 * configured from a site's file ({@link SiteConfig}). oomguard adds its own appenders to it.
 */
final class LogbackSetup {
    private LogbackSetup() {
    }

    /** A new context; a site file that has errors still gives one (with what parsed), and says why. */
    static LoggerContext context(Optional<Path> site) {
        LoggerContext context = new LoggerContext();
        context.setName("oomguard");
        context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding would give it; layouts read it
        context.start();
        if (site.isPresent()) {
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            try {
                joran.doConfigure(site.get().toFile());
            } catch (JoranException e) {
                // Kept in the context's status list: see firstError.
            }
        }
        return context;
    }

    /** The first error logback met configuring {@code context}, in one line. */
    static Optional<String> firstError(LoggerContext context) {
        return context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() >= Status.ERROR)
                .map(s -> s.getMessage() + (s.getThrowable() == null ? "" : " (" + s.getThrowable().getMessage() + ")"))
                .findFirst();
    }
}
