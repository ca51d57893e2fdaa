package dev.oomguard.launch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the caller handed oomguard, reconstructed so the job gets exactly that: the
 * environment (less what the launcher and the shell it runs in added), the descriptors above 2
 * the caller passed, and the signals the caller ignored (so {@code nohup oomguard ...} still
 * ignores HUP). The signal mask is not taken over: the job starts with an empty one, whatever
 * the caller blocked (a JVM caller blocks QUIT, for one). Pure: built from the raw
 * bytes of {@code /proc/self/environ} and of the launcher's copy of its own.
 */
public record CallerContext(List<byte[]> environment, Set<Integer> passedFds, long ignoredSignals) {

    static final String PRIVATE_PREFIX = "__OOMGUARD_";
    private static final String ENVIRON_FD = PRIVATE_PREFIX + "ENVIRON";
    private static final String SAVED_PREFIX = PRIVATE_PREFIX + "SAVED_";
    /** Variables a POSIX shell may add or adjust when it starts (dash: PWD; bash: SHLVL, _). */
    private static final List<String> SHELL_ADJUSTED = List.of("PWD", "OLDPWD", "SHLVL", "_");
    /** Set by the launcher for the JVM only. */
    private static final String SR_SIGNUM = "_JAVA_SR_SIGNUM";
    private static final long GLIBC_INTERNAL = (1L << 31) | (1L << 32);

    public CallerContext {
        environment = List.copyOf(environment);
        passedFds = Collections.unmodifiableSet(new TreeSet<>(passedFds));
    }

    /** From the JVM's initial environment; without the launcher's hints it is taken as is. */
    public static CallerContext fromEnviron(List<byte[]> environ) {
        return fromEnviron(environ, Optional.empty());
    }

    /**
     * The descriptor on which the launcher left a copy of the caller's own environment
     * ({@code __OOMGUARD_ENVIRON}), when it did.
     */
    public static OptionalInt callerEnvironFd(List<byte[]> environ) {
        for (byte[] entry : environ) {
            String text = new String(entry, StandardCharsets.ISO_8859_1);
            if (text.startsWith(ENVIRON_FD + "=")) {
                String value = text.substring(ENVIRON_FD.length() + 1);
                // value.matches("[3-9]"), without compiling a regex before the job starts
                boolean oneDigit = value.length() == 1 && value.charAt(0) >= '3' && value.charAt(0) <= '9';
                return oneDigit ? OptionalInt.of(value.charAt(0) - '0') : OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    /**
     * From the JVM's initial environment and, when the launcher passed it, the caller's own
     * environment as the kernel gave it to the launcher: that one is the job's, byte for byte (the
     * shell running the launcher drops names it cannot hold, such as {@code my.var}), less only
     * oomguard's private {@code __OOMGUARD_} variables.
     */
    public static CallerContext fromEnviron(List<byte[]> environ, Optional<List<byte[]>> callerEnviron) {
        Map<String, byte[]> vars = new LinkedHashMap<>();
        for (byte[] entry : environ) {
            int eq = indexOf(entry, (byte) '=');
            String name = new String(entry, 0, eq < 0 ? entry.length : eq, StandardCharsets.ISO_8859_1);
            vars.putIfAbsent(name, entry);
        }
        boolean launched = vars.containsKey(PRIVATE_PREFIX + "ENV");
        Set<Integer> fds = parseFds(value(vars.get(PRIVATE_PREFIX + "FDS")));
        String sigs = value(vars.get(PRIVATE_PREFIX + "SIG"));
        // Signals 32 and 33 are glibc's own: posix_spawn leaves them ignored in children it starts
        // (the JDK's included), no program can set them, and no shell would pass them on.
        long ignored = parseMask(sigs, "SigIgn:") & ~GLIBC_INTERNAL;
        String shellOriginals = value(vars.get(PRIVATE_PREFIX + "ENV"));
        if (launched && callerEnviron.isPresent()) {
            byte[] prefix = PRIVATE_PREFIX.getBytes(StandardCharsets.ISO_8859_1);
            List<byte[]> job = new ArrayList<>();
            for (byte[] entry : callerEnviron.get()) {
                if (!startsWith(entry, prefix)) {
                    job.add(entry);
                }
            }
            return new CallerContext(job, fds, ignored);
        }

        Map<String, byte[]> job = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : vars.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(SAVED_PREFIX)) {
                String original = name.substring(SAVED_PREFIX.length());
                job.put(original, rename(e.getValue(), name.length(), original));
            } else if (name.startsWith(PRIVATE_PREFIX) || (launched && name.equals(SR_SIGNUM))) {
                continue;
            } else if (launched && SHELL_ADJUSTED.contains(name)) {
                continue; // restored below from the caller's own values
            } else {
                job.putIfAbsent(name, e.getValue());
            }
        }
        if (launched) {
            for (String line : shellOriginals.split("\n", -1)) {
                int eq = line.indexOf('=');
                if (eq > 0 && SHELL_ADJUSTED.contains(line.substring(0, eq))) {
                    job.put(line.substring(0, eq), line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return new CallerContext(new ArrayList<>(job.values()), fds, ignored);
    }

    /** The same context with {@code fd} handed to the job as well (e.g. the {@code --lock} descriptor). */
    public CallerContext withPassedFd(int fd) {
        Set<Integer> fds = new TreeSet<>(passedFds);
        fds.add(fd);
        return new CallerContext(environment, fds, ignoredSignals);
    }

    /** The environment with {@code name=value} set (replacing any earlier value). */
    public List<byte[]> environmentWith(Map<String, String> extra) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] entry : environment) {
            int eq = indexOf(entry, (byte) '=');
            String name = new String(entry, 0, eq < 0 ? entry.length : eq, StandardCharsets.ISO_8859_1);
            if (!extra.containsKey(name)) {
                out.add(entry);
            }
        }
        extra.forEach((k, v) -> out.add((k + "=" + v).getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] rename(byte[] entry, int oldNameLength, String newName) {
        byte[] name = newName.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[name.length + entry.length - oldNameLength];
        System.arraycopy(name, 0, out, 0, name.length);
        System.arraycopy(entry, oldNameLength, out, name.length, entry.length - oldNameLength);
        return out;
    }

    private static String value(byte[] entry) {
        if (entry == null) {
            return "";
        }
        int eq = indexOf(entry, (byte) '=');
        return eq < 0 ? "" : new String(entry, eq + 1, entry.length - eq - 1, StandardCharsets.UTF_8);
    }

    private static Set<Integer> parseFds(String text) {
        Set<Integer> fds = new TreeSet<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty() && digits(word) && word.length() < 10) {
                int fd = Integer.parseInt(word);
                if (fd > 2) {
                    fds.add(fd);
                }
            }
        }
        return fds;
    }

    /** Every char a digit ({@link Character#isDigit}); a loop, not a stream: read before the job starts. */
    private static boolean digits(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (!Character.isDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long parseMask(String text, String key) {
        int at = text.indexOf(key);
        if (at < 0) {
            return 0;
        }
        int start = at + key.length();
        int end = start;
        while (end < text.length() && Character.digit(text.charAt(end), 16) >= 0) {
            end++;
        }
        return end == start ? 0 : Long.parseUnsignedLong(text.substring(start, end), 16);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
