package dev.oomguard.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One profile at one limit and its true outcome, from src/test/resources/profiles/limits.tsv
 * ({@code profile  limit_mib  fits | exhausts@T_ms}).
 */
record ProfileCase(String profile, long limitMiB, OptionalLong exhaustsAtMillis) {
    static final long MIB = 1L << 20;

    long limitBytes() {
        return limitMiB * MIB;
    }

    boolean fits() {
        return exhaustsAtMillis.isEmpty();
    }

    String expected() {
        return fits() ? "fits" : String.format(java.util.Locale.ROOT, "exhausts at %.1f s",
                exhaustsAtMillis.getAsLong() / 1000.0);
    }

    static List<ProfileCase> all() {
        List<ProfileCase> cases = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(ProfileTrace.DIR.resolve("limits.tsv"))) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                OptionalLong at = f[2].equals("fits") ? OptionalLong.empty()
                        : OptionalLong.of(Long.parseLong(f[2].replaceFirst("^exhausts@", "").replaceFirst("ms$", "")));
                cases.add(new ProfileCase(f[0], Long.parseLong(f[1]), at));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }
}
