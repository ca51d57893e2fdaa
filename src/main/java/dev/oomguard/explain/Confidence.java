package dev.oomguard.explain;

/**
 * How sure a verdict is: {@code HIGH} when the kernel's own report names the process,
 * {@code MEDIUM} when the report is partial or matched by name and time only, {@code LOW} when
 * only counters or circumstances point to it.
 */
public enum Confidence {
    HIGH, MEDIUM, LOW;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
