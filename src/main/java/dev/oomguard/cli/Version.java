package dev.oomguard.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, and the Java runtime it runs on (the bundled one in a release). */
public final class Version implements IVersionProvider {
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"oomguard " + current(),
            "runtime: Java " + System.getProperty("java.version") + " at " + System.getProperty("java.home")};
    }
}
