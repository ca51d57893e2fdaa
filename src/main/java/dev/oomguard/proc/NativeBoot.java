package dev.oomguard.proc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where JNA's own native library ({@code libjnidispatch.so}) is loaded from, decided before any
 * JNA class is touched. Left to itself JNA extracts the library from its jar into
 * {@code $XDG_CACHE_HOME} or {@code ~/.cache/JNA/temp} (or {@code jna.tmpdir}), creating that
 * directory and deleting old files there: as root with {@code HOME} pointing at a user's
 * directory, the user could swap the extracted file and root would load the user's code.
 *
 * <p>Instead: the copy the build (and the release) puts beside the jar,
 * {@code native/linux-ARCH/libjnidispatch.so}, when every directory from {@code /} down to it and
 * the file itself belong to root or to this user and no one else may write them (a directory
 * with the sticky bit, such as {@code /tmp}, may be world-writable); JNA is then told never to
 * unpack, never to search the system path and never to look in the class path. Otherwise JNA
 * unpacks into a fresh directory of our own ({@code mkdtemp}, mode 0700) under
 * {@code java.io.tmpdir}, which passes the same check, and deletes the file once loaded. When
 * neither is possible, JNA loads nothing and the job runs unguarded. {@code HOME} and
 * {@code XDG_CACHE_HOME} are never read. A caller who sets JNA's properties themselves
 * ({@code OOMGUARD_JVM_FLAGS=-Djna...}) is left alone.
 *
 * <p>When JNA is to load, its {@code jna.platform.library.path} is set too, from
 * {@code /etc/ld.so.cache} when that file and the directories above it pass the same check
 * ({@link PlatformLibraryPath}): JNA would otherwise run {@code /sbin/ldconfig -p} for it. Call
 * through {@link NativeStart}, which does this once, before any JNA class is initialised.
 */
public final class NativeBoot {
    /** The directory beside the jar that holds the native libraries. */
    public static final String BUNDLE_DIR = "native";
    private static final String LIBRARY = "libjnidispatch.so";
    private static final List<String> JNA_PROPERTIES = List.of("jna.boot.library.path", "jna.nounpack",
            "jna.nosys", "jna.noclasspath", "jna.tmpdir", "jna.boot.library.name");

    private NativeBoot() {
    }

    /** How JNA is to find its library. */
    public sealed interface Choice {
        /** The caller configured JNA: nothing is changed. */
        record CallerSet() implements Choice {
        }

        /** The trusted copy in {@code directory}. */
        record Bundled(Path directory) implements Choice {
        }

        /** Unpacked from the jar into this private directory. */
        record Private(Path directory) implements Choice {
        }

        /** No safe place: JNA loads nothing. */
        record None(String reason) implements Choice {
        }
    }

    /** Decides and sets JNA's system properties; call before any JNA class is loaded. */
    static Choice configure() {
        Choice choice = choose();
        for (Map.Entry<String, String> p : properties(choice).entrySet()) { // loops, not lambdas: first at start
            System.setProperty(p.getKey(), p.getValue());
        }
        if (choice instanceof Choice.Private p) {
            p.directory().toFile().deleteOnExit(); // for a process that never loads JNA (see loaded)
        }
        if ((choice instanceof Choice.Bundled || choice instanceof Choice.Private)
                && System.getProperty(PlatformLibraryPath.PROPERTY) == null) {
            Optional<String> path = platformLibraryPath();
            if (path.isPresent()) {
                System.setProperty(PlatformLibraryPath.PROPERTY, path.get());
            }
        }
        return choice;
    }

    /**
     * JNA's library is loaded: a private directory it was unpacked into goes now (JNA has deleted
     * the file in it once loaded), not at the JVM's exit, which a run ends without ({@code _exit}).
     * Left in place when anything is still in it.
     */
    static void loaded(Choice choice) {
        if (choice instanceof Choice.Private p) {
            try {
                Files.deleteIfExists(p.directory());
            } catch (IOException e) {
                // Not empty, or gone already: nothing of ours to remove.
            }
            // The directory is gone: JNA must not make it again to unpack some other library.
            System.setProperty("jna.noclasspath", "true");
        }
    }

    /**
     * JNA's platform library path without {@code ldconfig}: empty where we do not know JNA's
     * multiarch name (JNA then works it out itself). An unreadable, untrusted or malformed cache
     * counts as an empty one, as JNA counts an {@code ldconfig} that fails.
     */
    private static Optional<String> platformLibraryPath() {
        Optional<String> multiArch = System.getProperty("os.name", "").equals("Linux")
                ? PlatformLibraryPath.multiArch(System.getProperty("os.arch", "")) : Optional.empty();
        if (multiArch.isEmpty()) {
            return Optional.empty();
        }
        List<String> cached = List.of();
        try {
            int euid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Optional<Path> cache = trustedFile(Path.of(PlatformLibraryPath.CACHE), euid);
            if (cache.isPresent()) {
                cached = PlatformLibraryPath.cachedDirectories(Files.readAllBytes(cache.get()));
            }
        } catch (IOException | RuntimeException e) {
            cached = List.of();
        }
        return Optional.of(PlatformLibraryPath.path(multiArch.get(), cached, new IsDirectory()));
    }

    /** As JNA's {@code File.isDirectory}: following links. A class, not a lambda: this runs first at start. */
    private static final class IsDirectory implements Predicate<String> {
        @Override
        public boolean test(String dir) {
            return Files.isDirectory(Path.of(dir));
        }
    }

    /** The properties for {@code choice} (pure). */
    static Map<String, String> properties(Choice choice) {
        if (choice instanceof Choice.Bundled b) {
            return Map.of("jna.boot.library.path", b.directory().toString(), "jna.nounpack", "true",
                    "jna.nosys", "true", "jna.noclasspath", "true");
        }
        if (choice instanceof Choice.Private p) {
            return Map.of("jna.tmpdir", p.directory().toString(), "jna.nounpack", "false", "jna.nosys", "true");
        }
        if (choice instanceof Choice.None) {
            return Map.of("jna.nounpack", "true", "jna.nosys", "true", "jna.noclasspath", "true");
        }
        return Map.of();
    }

    private static Choice choose() {
        for (String name : JNA_PROPERTIES) {
            if (System.getProperty(name) != null) {
                return new Choice.CallerSet();
            }
        }
        int euid;
        try {
            euid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new Choice.None("cannot tell who this process runs as (" + e.getMessage() + ")");
        }
        Optional<String> platform = platformDirectory(System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""));
        Optional<Path> jarDir = jarDirectory();
        if (platform.isPresent() && jarDir.isPresent()) {
            Path dir = jarDir.get().resolve(BUNDLE_DIR).resolve(platform.get());
            Optional<Path> trusted = trustedFile(dir.resolve(LIBRARY), euid);
            if (trusted.isPresent()) {
                return new Choice.Bundled(trusted.get().getParent());
            }
        }
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir", "/tmp")).toRealPath();
            if (!trustedChain(tmp, euid)) {
                return new Choice.None(tmp + " may be changed by another user");
            }
            return new Choice.Private(Files.createTempDirectory(tmp, "oomguard-native-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException | RuntimeException e) {
            return new Choice.None("no private directory for native code (" + e.getMessage() + ")");
        }
    }

    /** JNA's name for this platform's directory ({@code linux-x86-64}), when we know it. */
    static Optional<String> platformDirectory(String osName, String osArch) {
        if (!osName.equals("Linux")) {
            return Optional.empty();
        }
        return switch (osArch) {
            case "amd64", "x86_64" -> Optional.of("linux-x86-64");
            case "aarch64", "arm64" -> Optional.of("linux-aarch64");
            default -> Optional.empty();
        };
    }

    private static Optional<Path> jarDirectory() {
        try {
            CodeSource source = NativeBoot.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(jar) ? Optional.ofNullable(jar.getParent()) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The real path of {@code file} when it and every directory above it are safe; else empty. */
    static Optional<Path> trustedFile(Path file, int euid) {
        try {
            Path real = file.toRealPath();
            Attributes own = Attributes.of(real);
            if (!own.regular() || !own.safeFor(euid, false) || !trustedChain(real.getParent(), euid)) {
                return Optional.empty();
            }
            return Optional.of(real);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code dir} (a real path) and all its ancestors may be changed by no other user. */
    static boolean trustedChain(Path dir, int euid) throws IOException {
        boolean safe = true;
        for (Path p = dir; p != null; p = p.getParent()) {
            Attributes a = Attributes.of(p); // every one read, as before: one that cannot be is an IOException
            safe &= a.directory() && a.safeFor(euid, true);
        }
        return safe;
    }

    /** What the check needs of one file (read without following a link). */
    record Attributes(int uid, int mode, boolean directory, boolean regular) {
        static Attributes of(Path p) throws IOException {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode,isDirectory,isRegularFile",
                    LinkOption.NOFOLLOW_LINKS);
            return new Attributes((Integer) a.get("uid"), (Integer) a.get("mode"), (Boolean) a.get("isDirectory"),
                    (Boolean) a.get("isRegularFile"));
        }

        /** Owned by root or {@code euid}; not writable by group or others (a sticky directory may be). */
        boolean safeFor(int euid, boolean stickyAllowed) {
            boolean owner = uid == 0 || uid == euid;
            boolean othersWrite = (mode & 0022) != 0;
            boolean sticky = (mode & 01000) != 0;
            return owner && (!othersWrite || (stickyAllowed && sticky));
        }
    }

    /**
     * Build and release step: copies this platform's {@code libjnidispatch.so} out of the jar into
     * {@code DIR/linux-ARCH/} (mode 0644), where {@link #configure()} finds it beside the jar.
     * Usage: {@code java -cp oomguard.jar dev.oomguard.proc.NativeBoot DIR}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java -cp oomguard.jar dev.oomguard.proc.NativeBoot DIR");
        }
        String platform = platformDirectory(System.getProperty("os.name", ""), System.getProperty("os.arch", ""))
                .orElseThrow(() -> new IllegalStateException("no JNA library for " + System.getProperty("os.arch")));
        String resource = "com/sun/jna/" + platform + "/" + LIBRARY;
        Path dir = Path.of(args[0]).resolve(platform);
        Files.createDirectories(dir);
        Path target = dir.resolve(LIBRARY);
        Path part = dir.resolve(LIBRARY + ".part");
        try (InputStream in = NativeBoot.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not in the class path");
            }
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
