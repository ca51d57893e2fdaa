package dev.oomguard.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where configuration comes from, taken from an environment (injected in tests): the
 * {@code OOMGUARD_OPTS} variable, the user's file ({@code $XDG_CONFIG_HOME/oomguard/config}, else
 * {@code ~/.config/oomguard/config}) and the system's file ({@code /etc/oomguard.conf}).
 */
public record ConfigPlaces(Optional<String> opts, Optional<Path> userFile, Path systemFile) {
    public static final String OPTS_VARIABLE = "OOMGUARD_OPTS";
    public static final Path SYSTEM_FILE = Path.of("/etc/oomguard.conf");

    public static ConfigPlaces from(Map<String, String> env) {
        return from(env, SYSTEM_FILE);
    }

    public static ConfigPlaces from(Map<String, String> env, Path systemFile) {
        Optional<Path> base = Optional.ofNullable(env.get("XDG_CONFIG_HOME")).filter(s -> s.startsWith("/"))
                .map(Path::of)
                .or(() -> Optional.ofNullable(env.get("HOME")).filter(s -> !s.isEmpty())
                        .map(h -> Path.of(h, ".config")));
        return new ConfigPlaces(Optional.ofNullable(env.get(OPTS_VARIABLE)), base.map(b -> b.resolve("oomguard/config")),
                systemFile);
    }

    /** No configuration at all. */
    public static ConfigPlaces none() {
        return new ConfigPlaces(Optional.empty(), Optional.empty(), Path.of("/nonexistent/oomguard.conf"));
    }
}
