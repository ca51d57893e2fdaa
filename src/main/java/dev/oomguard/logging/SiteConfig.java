package dev.oomguard.logging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where a site's own logback configuration is: the file named by the system property
 * {@value #PROPERTY} (logback's own), else {@value #ETC} when it exists. Neither: none, and
 * logback is not needed for a run that logs nothing.
 */
public final class SiteConfig {
    public static final String PROPERTY = "logback.configurationFile";
    public static final String ETC = "/etc/oomguard/logback.xml";

    private SiteConfig() {
    }

    /** This process's site configuration. */
    public static Optional<Path> find() {
        return find(System::getProperty, Files::isRegularFile);
    }

    /**
     * @param properties the system properties
     * @param exists     whether a file is there (the seam for tests)
     */
    static Optional<Path> find(UnaryOperator<String> properties, Predicate<Path> exists) {
        String named = properties.apply(PROPERTY);
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named.startsWith("file:") ? named.substring("file:".length()) : named));
        }
        Path etc = Path.of(ETC);
        return exists.test(etc) ? Optional.of(etc) : Optional.empty();
    }
}
