package dev.oomguard.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.testing.Oomguard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attacks of docs/security.md, for real: oomguard runs as root, and an unprivileged user
 * ({@code nobody}, through {@code setpriv}) plants symbolic links, directories and FIFOs where
 * oomguard writes, in a world-writable directory. The victim is a file of the test's own, in a
 * root-only directory; it must stay untouched, and the job's status must come through. Nothing
 * here touches a system file: device nodes are made by the test in its own directory.
 */
class OutputFilesIT {
    private static final String[] NOBODY = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};

    private Path top;
    private Path pub;
    private Path victim;
    private Path ran;

    @BeforeEach
    void shareAMachineWithAHostileUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: the attacks are on root's writes");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to act as nobody");
        top = Files.createTempDirectory("files-it-");
        Files.setPosixFilePermissions(top, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path safe = Files.createDirectory(top.resolve("safe"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        victim = Files.writeString(safe.resolve("victim"), "precious\n");
        pub = Files.createDirectory(top.resolve("pub"));
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rwxrwxrwx")); // world-writable, no sticky bit
        ran = top.resolve("ran");
        assumeTrue(asNobody("true") == 0, "nobody cannot run commands here");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (top != null) {
            new ProcessBuilder("rm", "-rf", "--", top.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Runs a command as nobody; its status. */
    private static int asNobody(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NOBODY));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private Oomguard.Result oomguard(List<String> options, String jobScript) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("-q", "--", "sh", "-c", jobScript));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TMPDIR", pub.toString());
        env.remove("XDG_RUNTIME_DIR");
        return Oomguard.create().environment(env).timeoutSeconds(120).run(args);
    }

    private void assertRefusedBeforeTheJob(Oomguard.Result r, String option, String what) {
        assertThat(r.status()).as(r.stderr()).isEqualTo(125);
        assertThat(r.stderr()).startsWith("oomguard: " + option + ": ").contains(what).hasLineCount(1)
                .doesNotContain("Exception").doesNotContain("java.");
        assertThat(ran).as("the job was not started").doesNotExist();
        assertThat(victim).hasContent("precious");
    }

    private String touchRan() {
        return "touch " + ran;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--summary-json", "--prom-textfile", "--html", "--record", "--log"})
    void aSymbolicLinkPlantedAtAnOutputIsRefusedBeforeTheJobAndTheVictimIsUntouched(String option) throws Exception {
        Path out = pub.resolve("out");
        assertThat(asNobody("ln", "-s", victim.toString(), out.toString())).isZero();
        Oomguard.Result r = oomguard(List.of(option, out.toString()), touchRan());
        assertRefusedBeforeTheJob(r, option, "it is a symbolic link");
        assertThat(Files.isSymbolicLink(out)).isTrue();
    }

    @Test
    void aSymbolicLinkPlantedAtTheRecordBesideTheHtmlReportIsRefusedBeforeTheJob() throws Exception {
        Path out = pub.resolve("report.html");
        assertThat(asNobody("ln", "-s", victim.toString(), out + ".jsonl")).isZero();
        Oomguard.Result r = oomguard(List.of("--html", out.toString()), touchRan());
        assertRefusedBeforeTheJob(r, "--record", "it is a symbolic link");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--summary-json", "--prom-textfile", "--html", "--record", "--log"})
    void aDirectoryOrAFifoPlantedAtAnOutputIsRefusedBeforeTheJob(String option) throws Exception {
        Path dir = pub.resolve("dir");
        assertThat(asNobody("mkdir", dir.toString())).isZero();
        assertRefusedBeforeTheJob(oomguard(List.of(option, dir.toString()), touchRan()), option, "directory");
        Path fifo = pub.resolve("fifo");
        assertThat(asNobody("mkfifo", fifo.toString())).isZero();
        assertRefusedBeforeTheJob(oomguard(List.of(option, fifo.toString()), touchRan()), option, "FIFO");
        assertThat(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--summary-json", "--prom-textfile", "--html", "--record", "--log"})
    void aDeviceNodeAsAnOutputIsRefusedBeforeTheJobAndStaysADevice(String option) throws Exception {
        Path full = top.resolve("full"); // the test's own node for /dev/full: no system file is at stake
        Process mknod = new ProcessBuilder("mknod", full.toString(), "c", "1", "7").start();
        assumeTrue(mknod.waitFor(10, TimeUnit.SECONDS) && mknod.exitValue() == 0, "cannot make a device node here");
        Oomguard.Result r = oomguard(List.of(option, full.toString()), touchRan());
        assertRefusedBeforeTheJob(r, option, "character device");
        assertThat(Files.isRegularFile(full, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat((Integer) Files.getAttribute(full, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000).isEqualTo(0020000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--summary-json", "--prom-textfile", "--html"})
    void anOutputWhoseDirectoryIsMissingIsRefusedBeforeTheJobInWords(String option) {
        Path out = top.resolve("nosuchdir/x");
        Oomguard.Result r = oomguard(List.of(option, out.toString()), touchRan());
        assertRefusedBeforeTheJob(r, option, "there is no directory " + top.resolve("nosuchdir"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--summary-json", "--prom-textfile", "--html"})
    void anOutputOnAReadOnlyFileSystemIsRefusedBeforeTheJob(String option) throws Exception {
        Path ro = Files.createDirectory(top.resolve("ro"));
        Process probe = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount -t tmpfs -o ro tmpfs \"$0\"", ro.toString())
                .start();
        assumeTrue(probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0, "cannot mount a read-only tmpfs here");
        Oomguard.Result r = Oomguard.create().via("unshare", "-m", "sh", "-c",
                "mount -t tmpfs -o ro tmpfs \"$0\" && exec \"$@\"", ro.toString())
                .timeoutSeconds(120).run(option, ro.resolve("x").toString(), "--", "sh", "-c", touchRan());
        assertRefusedBeforeTheJob(r, option, "read-only file system");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--summary-json", "--prom-textfile", "--html"})
    void anOutputInADirectoryWeMayNotWriteIsRefusedBeforeTheJob(String option) throws Exception {
        Path home = Files.createDirectory(pub.resolve("home")); // root's, 0755: nobody may not write there
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(Files.createDirectory(top.resolve("nobody-home")),
                PosixFilePermissions.fromString("rwxrwxrwx"));
        assumeTrue(asNobody("sh", "-c", "test -x \"$0\" && test -r \"$1\"", Oomguard.launcher().toString(),
                Path.of(System.getProperty("oomguard.jar", "target/oomguard.jar")).toAbsolutePath().toString()) == 0,
                "nobody cannot run the launcher from this checkout");
        Oomguard.Result r = Oomguard.create().via(NOBODY).via("env", "HOME=" + top.resolve("nobody-home"))
                .timeoutSeconds(120).run(option, home.resolve("x").toString(), "--", "sh", "-c", "echo > " + pub.resolve("ran"));
        assertThat(r.status()).as(r.stderr()).isEqualTo(125);
        assertThat(r.stderr()).startsWith("oomguard: " + option + ": cannot write ").endsWith(": permission denied\n")
                .hasLineCount(1);
        assertThat(pub.resolve("ran")).doesNotExist();
    }

    @Test
    void aLinkPlantedWhileTheJobRunsIsNotWrittenThroughAndTheJobsStatusComesThrough() throws Exception {
        Path summary = pub.resolve("summary.json");
        Path prom = pub.resolve("m.prom");
        Path html = pub.resolve("report.html");
        // The job plants as nobody, after the checks: at the targets, and at the metrics file's old,
        // predictable temporary name (.NAME.PID.tmp).
        String plant = String.join(" ", NOBODY) + " sh -c 'for f in \"$@\"; do ln -sf " + victim + " \"$f\"; done' sh "
                + summary + " " + html + " " + pub.resolve(".m.prom.") + "$OOMGUARD_PID.tmp";
        Oomguard.Result r = oomguard(List.of("--summary-json", summary.toString(), "--prom-textfile", prom.toString(),
                "--html", html.toString()), plant + "; exit 3");
        assertThat(r.status()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).contains("--summary-json: cannot write " + summary + ": it is a symbolic link")
                .contains("--html: cannot write " + html + ": it is a symbolic link").doesNotContain("Exception");
        assertThat(victim).hasContent("precious");
        assertThat(prom).isRegularFile().content().contains("oomguard_job_running");
        assertThat(Files.isSymbolicLink(summary)).isTrue();
    }

    @Test
    void outputsAreWrittenAsRegularFilesWhenNothingIsPlanted() {
        Path summary = pub.resolve("summary.json");
        Path log = pub.resolve("run.log");
        Oomguard.Result r = oomguard(List.of("--summary-json", summary.toString(), "--log", log.toString(),
                "--html", pub.resolve("report.html").toString(), "--prom-textfile", pub.resolve("m.prom").toString()), "exit 4");
        assertThat(r.status()).as(r.stderr()).isEqualTo(4);
        assertThat(summary).isRegularFile().content().contains("\"exit_code\" : 4");
        assertThat(log).isRegularFile();
        assertThat(pub.resolve("report.html")).isRegularFile();
        assertThat(pub.resolve("report.html.jsonl")).isRegularFile();
        try (Stream<Path> left = Files.list(pub)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"))
                    .noneMatch(n -> n.startsWith("oomguard-"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The reproduction: nobody makes the directory oomguard used to take,
     * {@code $TMPDIR/oomguard-PID}, with links to the victim at the flag file's names, and a
     * second PID's directory that is itself a link to the victim's directory; oomguard starts with
     * that PID, and the job gets a checkpoint request (grow.py answers it).
     */
    @Test
    void thePredictableCheckpointDirectoryIsNotUsedAndTheVictimSurvivesACheckpoint() throws Exception {
        Path script = Path.of("examples/grow.py").toAbsolutePath();
        assumeTrue(Files.isReadable(script), "needs examples/grow.py");
        String plant = String.join(" ", NOBODY) + " sh -c 'mkdir -m777 \"$1/oomguard-$2\" && ln -s \"$3\" \"$1/oomguard-$2/"
                + ".checkpoint.oomguard-staged\" && ln -s \"$3\" \"$1/oomguard-$2/checkpoint\"' sh \"$TMPDIR\" $$ " + victim;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TMPDIR", pub.toString());
        env.remove("XDG_RUNTIME_DIR");
        List<String> cmd = List.of("sh", "-c", plant + " && exec \"$@\"", "sh", Oomguard.launcher().toString(),
                "--limit", "160M", "--interval", "100ms", "--grace", "1s", "--checkpoint-lead", "1s",
                "--", "sh", "-c", "echo \"flag=$OOMGUARD_CHECKPOINT_FILE\"; ls -ld \"$(dirname \"$OOMGUARD_CHECKPOINT_FILE\")\";"
                        + " exec /usr/bin/python3 \"$0\" --rate 12", script.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        Oomguard.Result r = Oomguard.create().finish(p);
        assertThat(r.stderr()).contains("grow.py: checkpoint 1");
        assertThat(r.status()).as(r.stderr()).isEqualTo(137);
        String flag = r.out().lines().filter(l -> l.startsWith("flag=")).findFirst().orElseThrow().substring(5);
        assertThat(r.out()).contains("drwx------ 2 root root");
        assertThat(Path.of(flag).getParent()).as("removed at the end").doesNotExist();
        assertThat(victim).hasContent("precious");
        try (Stream<Path> left = Files.list(pub)) {
            Path planted = left.filter(d -> d.getFileName().toString().startsWith("oomguard-")).findFirst().orElseThrow();
            assertThat(Path.of(flag).getParent()).isNotEqualTo(planted);
            assertThat(Files.isSymbolicLink(planted.resolve("checkpoint"))).as("nobody's plant, left alone").isTrue();
        }
    }

    @Test
    void aCheckpointDirectoryPlantedAsALinkToAnotherDirectoryIsNotEmptiedAtTheEnd() throws Exception {
        String plant = String.join(" ", NOBODY) + " ln -s " + victim.getParent() + " \"$TMPDIR/oomguard-$$\"";
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TMPDIR", pub.toString());
        env.remove("XDG_RUNTIME_DIR");
        // The victim's directory is root's: nobody may link to it, root's clean-up would have emptied it.
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", plant + " && exec \"$@\"", "sh", Oomguard.launcher().toString(),
                "-q", "--", "sh", "-c", "exit 5");
        pb.environment().clear();
        pb.environment().putAll(env);
        Oomguard.Result r = Oomguard.create().finish(pb.start());
        assertThat(r.status()).as(r.stderr()).isEqualTo(5);
        assertThat(victim).hasContent("precious");
    }

    @Test
    void exits125And127LeaveNoCheckpointDirectoryBehind() throws Exception {
        Oomguard.Result clean = oomguard(List.of(), "exit 0");
        assertThat(clean.status()).isZero();
        List<String> args = new ArrayList<>(List.of("-q", "--", top.resolve("no-such-command").toString()));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TMPDIR", pub.toString());
        env.remove("XDG_RUNTIME_DIR");
        Oomguard.Result r127 = Oomguard.create().environment(env).run(args);
        assertThat(r127.status()).as(r127.stderr()).isEqualTo(127);
        Path dev = top.resolve("null");
        Process mknod = new ProcessBuilder("mknod", dev.toString(), "c", "1", "3").start();
        assumeTrue(mknod.waitFor(10, TimeUnit.SECONDS) && mknod.exitValue() == 0, "cannot make a device node here");
        Oomguard.Result r125 = Oomguard.create().environment(env).run("-q", "--record", dev.toString(), "--", "true");
        assertThat(r125.status()).as(r125.stderr()).isEqualTo(125);
        try (Stream<Path> left = Files.list(pub)) {
            assertThat(left).as("nothing left in TMPDIR").isEmpty();
        }
    }

    @Test
    void aDeviceADirectoryOrAFifoIsRefusedAndStaysWhatItWas(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> OutputFile.checkReplaceable(Path.of("/dev/null")))
                .hasMessage("cannot write /dev/null: it is a character device, which oomguard does not replace (give the"
                        + " path of a regular file)");
        assertThatThrownBy(() -> OutputFile.replace(Path.of("/dev/null"), "x".getBytes(java.nio.charset.StandardCharsets.UTF_8), false))
                .hasMessageContaining("it is a character device");
        assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
        assertThatThrownBy(() -> OutputFile.replace(dir, "x".getBytes(java.nio.charset.StandardCharsets.UTF_8), false)).hasMessageContaining("it is a directory");
        Path fifo = dir.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        assertThatThrownBy(() -> OutputFile.checkReplaceable(fifo)).hasMessageContaining("it is a FIFO");
    }
}
