package dev.oomguard.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive, built by scripts/release from the jar 'mvn verify' made, unpacked into an
 * empty directory and run with a PATH whose java, javac, jlink and mvn are traps that record any use:
 * the launcher must use the bundled runtime, and the demo must run without Maven.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseIT {
    @TempDir
    static Path dir;

    private Path root;
    private Path out;
    private Path traps;
    private Path sprung;

    record Run(int status, String out) {
    }

    @BeforeAll
    void buildAndUnpack() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assumeTrue(Files.isExecutable(jdk.resolve("bin/jlink")) && Files.isDirectory(jdk.resolve("jmods")),
                "needs a JDK with jlink and jmods (openjdk-17-jdk-headless)");
        String jar = System.getProperty("oomguard.jar", "target/oomguard.jar");
        assumeTrue(Files.isReadable(Path.of(jar)), "run 'mvn verify' to build " + jar);
        Path out = dir.resolve("out");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JAVA_HOME", jdk.toString());
        List<String> release = new ArrayList<>(List.of("scripts/release", "--no-build", "--out", out.toString()));
        if (Files.isExecutable(Path.of("/usr/bin/dpkg-deb"))) {
            release.add("--deb");
        }
        Run built = run(release, env, Path.of("."), 600);
        assertThat(built.status()).as(built.out()).isZero();
        this.out = out;
        Path archive;
        try (Stream<Path> files = Files.list(out)) {
            archive = files.filter(p -> p.toString().endsWith(".tar.gz")).findFirst().orElseThrow();
        }
        assertThat(archive.getFileName().toString()).matches("oomguard-.+-linux-.+\\.tar\\.gz");
        Path unpacked = Files.createDirectory(dir.resolve("empty"));
        Run tar = run(List.of("tar", "-C", unpacked.toString(), "-xzf", archive.toString()), env, unpacked, 120);
        assertThat(tar.status()).as(tar.out()).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            root = top.findFirst().orElseThrow();
        }
        traps = Files.createDirectory(dir.resolve("traps"));
        sprung = dir.resolve("sprung");
        for (String tool : List.of("java", "javac", "jlink", "mvn")) {
            Path trap = traps.resolve(tool);
            Files.writeString(trap, "#!/bin/sh\necho " + tool + " >> " + sprung + "\nexit 99\n");
            Files.setPosixFilePermissions(trap, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    @Order(1)
    void theArchiveHoldsWhatTheReadmeSays() {
        for (String path : List.of("bin/oomguard", "bin/oomguard-setup", "lib/oomguard.jar", "runtime/bin/java",
                "share/man/man1/oomguard.1", "share/bash-completion/completions/oomguard",
                "share/zsh/site-functions/_oomguard", "README.md", "docs/guarding.md", "NOTICE", "examples/demo", "examples/grow.py",
                "examples/seed-kernel.log")) {
            assertThat(root.resolve(path)).as(path).exists();
        }
        assertThat(root.resolve("runtime/jmods")).doesNotExist();
    }

    @Test
    @Order(2)
    void theLauncherUsesTheBundledRuntime() throws Exception {
        Run version = run(List.of(root.resolve("bin/oomguard").toString(), "--version"), bare(), dir, 60);
        assertThat(version.status()).as(version.out()).isZero();
        assertThat(version.out()).contains("runtime: Java 17").contains(" at " + root.resolve("runtime"));
        Run job = run(List.of(root.resolve("bin/oomguard").toString(), "--", "sh", "-c", "exit 7"), bare(), dir, 60);
        assertThat(job.status()).as(job.out()).isEqualTo(7);
        assertThat(sprung).as("a tool on PATH was used").doesNotExist();
    }

    @Test
    @Order(3)
    void setupMakesTheClassDataSharingArchiveForWhereItIs() throws Exception {
        Run setup = run(List.of(root.resolve("bin/oomguard-setup").toString()), bare(), dir, 120);
        assertThat(setup.status()).as(setup.out()).isZero();
        assertThat(root.resolve("lib/oomguard.jsa")).isNotEmptyFile();
        Path log = dir.resolve("classes.txt");
        Map<String, String> env = bare();
        env.put("OOMGUARD_JVM_FLAGS", "-Xlog:class+load=info:file=" + log);
        Run job = run(List.of(root.resolve("bin/oomguard").toString(), "--quiet", "--", "true"), env, dir, 60);
        assertThat(job.status()).as(job.out()).isZero();
        // A static archive (the JDK's classes and the run's); a plain run parses without picocli.
        assertThat(Files.readString(log)).as("classes from oomguard's own archive").contains(
                "dev.oomguard.cli.Main source: shared objects file").doesNotContain(" picocli.");
        // Help comes from picocli, which the archive leaves out (it holds what a run loads): from the jar.
        Run help = run(List.of(root.resolve("bin/oomguard").toString(), "run", "--help"), env, dir, 60);
        assertThat(help.status()).as(help.out()).isZero();
        assertThat(help.out()).contains("--limit");
        assertThat(Files.readString(log)).as("help's classes").contains("dev.oomguard.cli.Main source: shared objects file")
                .containsPattern("picocli\\.CommandLine source: .*oomguard\\.jar");
        assertThat(sprung).doesNotExist();
    }

    @Test
    @Order(4)
    void theDemoRunsFromTheArchiveWithoutMavenOrASystemJava() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the demo's job needs python3");
        Run demo = run(List.of(root.resolve("examples/demo").toString()), bare(), dir, 300);
        assertThat(demo.status()).as(demo.out()).isZero();
        assertThat(demo.out()).doesNotContain("building oomguard")
                .contains("== 1.").contains("== 2.")
                .contains("oomguard: warning: --warn 80% reached");
        assertThat(sprung).as("a tool on PATH was used").doesNotExist();
    }

    @Test
    @Order(5)
    void withoutTheBundledRuntimeItFindsASystemJava() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin/java");
        Path moved = dir.resolve("runtime-moved");
        Files.move(root.resolve("runtime"), moved);
        try {
            Map<String, String> env = bare();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            Run version = run(List.of(root.resolve("bin/oomguard").toString(), "--version"), env, dir, 60);
            assertThat(version.status()).as(version.out()).isZero();
            assertThat(version.out()).contains(" at " + java.getParent().getParent());
        } finally {
            Files.move(moved, root.resolve("runtime"));
        }
    }

    @Test
    @Order(6)
    void theDebianPackageHoldsTheSameTreeInOpt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "dpkg-deb is not installed");
        Path deb;
        try (Stream<Path> files = Files.list(out)) {
            deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow();
        }
        Run contents = run(List.of("dpkg-deb", "--contents", deb.toString()), bare(), dir, 60);
        assertThat(contents.status()).as(contents.out()).isZero();
        assertThat(contents.out()).contains("./usr/bin/oomguard -> /opt/oomguard/bin/oomguard")
                .contains("./opt/oomguard/runtime/bin/java").contains("./usr/share/man/man1/oomguard.1.gz")
                .contains("./usr/share/bash-completion/completions/oomguard");
        Path extracted = dir.resolve("deb");
        Run x = run(List.of("dpkg-deb", "-x", deb.toString(), extracted.toString()), bare(), dir, 120);
        assertThat(x.status()).as(x.out()).isZero();
        Run version = run(List.of(extracted.resolve("opt/oomguard/bin/oomguard").toString(), "--version"), bare(),
                dir, 60);
        assertThat(version.out()).contains(" at " + extracted.resolve("opt/oomguard/runtime"));
    }

    /** No JAVA_HOME, no JVM option variables; PATH starts with the traps. */
    private Map<String, String> bare() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", traps + File.pathSeparator + "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("LANG", "C.UTF-8");
        return env;
    }

    private static Run run(List<String> command, Map<String, String> env, Path cwd, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(cwd.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Path output = Files.createTempFile("release-it", ".out");
        pb.redirectOutput(output.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within " + timeoutSeconds + "s: "
                    + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        return new Run(p.exitValue(), out);
    }
}
