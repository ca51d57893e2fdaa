package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.testing.Oomguard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Root never loads JNA's native library from a directory another user can write: not from the
 * cache under a HOME that belongs to someone else (sudo -E, a cron line with HOME=), planted or
 * unwritable, and not from a native/ directory beside the jar that others may change. The job runs
 * guarded all the same, without a stack trace.
 */
class NativeLibraryIT {
    private static final int NOBODY = 65534;
    /** The job prints the libraries its parent, oomguard's JVM, has mapped. */
    private static final String[] MAPS = {"--quiet", "--", "sh", "-c", "grep -e jna -e jnidispatch /proc/$PPID/maps"};

    @TempDir
    Path tmp;
    private Path home;

    @BeforeEach
    void plantedHome() throws IOException, InterruptedException {
        assumeTrue(Users.isRoot(), "needs root: the danger is root loading another user's file");
        home = Files.createDirectories(tmp.resolve("home"));
        for (Path cache : List.of(home.resolve(".cache/oomguard"), home.resolve(".cache/JNA/temp"))) {
            Files.createDirectories(cache);
            Files.writeString(cache.resolve("jna4242.tmp"), "not a library: planted by the user");
            Files.writeString(cache.resolve("jna4242.tmp.x"), "");
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        chownToNobody(home);
    }

    private static void chownToNobody(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("chown", "-R", NOBODY + ":" + NOBODY, dir.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    private Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new TreeMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", home.toString()));
        env.putAll(extra);
        return env;
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                files.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "dir");
            }
        }
        return files;
    }

    private static List<String> mapped(Oomguard.Result r) {
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("unguarded");
        List<String> paths = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            int slash = line.indexOf('/');
            if (slash >= 0) {
                paths.add(line.substring(slash));
            }
        }
        assertThat(paths).as("JNA's library is loaded: the job is guarded").isNotEmpty();
        return paths;
    }

    @Test
    void withAnotherUsersHomeTheBundledLibraryIsLoadedAndTheCacheLeftUntouched() throws IOException {
        Map<String, String> before = tree(home);
        for (Map<String, String> extra : List.of(Map.<String, String>of(),
                Map.of("XDG_CACHE_HOME", home.resolve(".cache").toString()))) {
            List<String> paths = mapped(Oomguard.create().environment(env(extra)).run(MAPS));
            Path bundled = Path.of(System.getProperty("oomguard.jar", "target/oomguard.jar")).toAbsolutePath()
                    .getParent().resolve("native");
            assertThat(paths).allMatch(p -> p.startsWith(bundled.toString()), "under " + bundled);
        }
        assertThat(tree(home)).as("nothing created, deleted or changed in the user's HOME").isEqualTo(before);
    }

    @Test
    void anUnwritableCacheDirectoryIsNoProblem() throws IOException {
        Path cache = home.resolve(".cache/oomguard");
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
        List<String> paths = mapped(Oomguard.create().environment(env(Map.of())).run(MAPS));
        assertThat(paths).noneMatch(p -> p.startsWith(home.toString()));
    }

    @Test
    void withoutATrustedCopyBesideTheJarItIsUnpackedIntoAFreshPrivateDirectory() throws IOException {
        Path jar = Path.of(System.getProperty("oomguard.jar", "target/oomguard.jar")).toAbsolutePath();
        Path lone = Files.createDirectories(tmp.resolve("lone"));
        Files.copy(jar, lone.resolve("oomguard.jar"));
        // Beside a second copy, a native/ directory any user may write: not to be trusted.
        Path open = Files.createDirectories(tmp.resolve("open/native/linux-x86-64"));
        Files.copy(jar, tmp.resolve("open/oomguard.jar"));
        Files.copy(jar.getParent().resolve("native/linux-x86-64/libjnidispatch.so"),
                open.resolve("libjnidispatch.so"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        for (Path dir : List.of(lone, tmp.resolve("open"))) {
            List<String> paths = mapped(Oomguard.create()
                    .environment(env(Map.of("OOMGUARD_JAR", dir.resolve("oomguard.jar").toString()))).run(MAPS));
            assertThat(paths).allMatch(p -> p.matches("/tmp/oomguard-native-[0-9]+/jna[0-9]+\\.tmp \\(deleted\\)"),
                    "unpacked privately and deleted at once");
            assertThat(paths).allSatisfy(p -> assertThat(Path.of(p.substring(0, p.lastIndexOf('/'))))
                    .as("the private directory, once the run has ended").doesNotExist());
            assertThat(paths).noneMatch(p -> p.startsWith(home.toString()) || p.startsWith(dir.toString()));
        }
    }
}
