package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transparent prefix, tested as tini's and dumb-init's suites test theirs: real processes
 * through the real launcher, once as the caller and once as an unprivileged user.
 */
class TransparencyIT {
    @TempDir
    static Path shared;

    /** Lists the job's descriptors above 2 without opening one (no pipe, no directory read). */
    private static final String LIST_FDS = "i=3; while [ $i -lt 1024 ]; do [ -e /proc/$$/fd/$i ] && printf '%s ' $i;"
            + " i=$((i+1)); done; echo";

    @org.junit.jupiter.api.BeforeAll
    static void openToNobody() throws IOException {
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** The users the suite runs as: the caller, and 'nobody' when the caller is root. */
    static Stream<Arguments> users() throws IOException {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("caller", new String[0]));
        if (Users.isRoot() && Users.nobodyCanRun(Oomguard.launcher())) {
            Path home = Files.createTempDirectory("oomguard-nobody");
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
            out.add(Arguments.of("nobody", Users.asNobody(home)));
        }
        return out.stream();
    }

    private static Oomguard as(String[] via) {
        return Oomguard.create().via(via);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void everyExitStatusComesBack(String who, String[] via) throws IOException {
        // One job per status would take minutes of JVM start-ups: a shell loop runs all 256.
        Path script = shared.resolve("statuses-" + who + ".sh");
        // Two at a time (this machine has two cores); each line reports a mismatch, if any.
        Files.writeString(script, "seq 0 255 | xargs -P 2 -I N sh -c '\"$0\" -- sh -c \"exit N\"; s=$?;"
                + " [ $s -eq N ] || echo \"status N came back as $s\"' \"$1\"; echo done\n");
        script.toFile().setReadable(true, false);
        List<String> cmd = new ArrayList<>(Arrays.asList(via));
        cmd.addAll(List.of("sh", script.toString(), Oomguard.launcher().toString()));
        Oomguard.Result r = plain(cmd, 600);
        assertThat(r.out()).isEqualTo("done\n");
    }

    static Stream<Arguments> deaths() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Arguments user : users().toList()) {
            for (String sig : List.of("TERM", "KILL", "SEGV", "HUP", "USR1", "PIPE")) {
                out.add(Arguments.of(user.get()[0], user.get()[1], sig));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} SIG{2}")
    @MethodSource("deaths")
    void aJobKilledBySignalGives128PlusNAndTheSameDeath(String who, String[] via, String sig) {
        int n = dev.oomguard.proc.Signal.parse(sig).number();
        Oomguard.Result r = as(via).run("--", "sh", "-c", "kill -" + sig + " $$");
        assertThat(r.status()).isEqualTo(128 + n);
        // The caller sees a real signal death (re-raised, as timeout(1) does), not just a number:
        Oomguard.Result shell = plain(List.of("sh", "-c", String.join(" ", quoteAll(via)) + " '"
                + Oomguard.launcher() + "' -- sh -c 'kill -" + sig + " $$'; echo $?"), 60);
        assertThat(shell.out().trim()).isEqualTo(Integer.toString(128 + n));
        Oomguard.Result exact = plain(List.of("python3", "-c",
                "import subprocess,sys; print(subprocess.run(sys.argv[1:]).returncode)",
                Oomguard.launcher().toString(), "--", "sh", "-c", "kill -" + sig + " $$"), 60);
        assertThat(exact.out().trim()).isEqualTo(Integer.toString(-n));
        Oomguard.Result plainExit = Oomguard.create().run("--no-reraise", "--", "sh", "-c", "kill -" + sig + " $$");
        assertThat(plainExit.status()).isEqualTo(128 + n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void notFoundIs127AndNotExecutableIs126WithOneLine(String who, String[] via) throws IOException {
        Oomguard.Result missing = as(via).run("--", "no-such-command-oomguard");
        assertThat(missing.status()).isEqualTo(127);
        assertThat(missing.stderr()).isEqualTo("oomguard: cannot run 'no-such-command-oomguard': No such file or directory\n");
        Path notExec = shared.resolve("not-executable-" + who);
        Files.writeString(notExec, "echo hi\n");
        notExec.toFile().setReadable(true, false);
        Oomguard.Result denied = as(via).run("--", notExec.toString());
        assertThat(denied.status()).isEqualTo(126);
        assertThat(denied.stderr()).contains("Permission denied").hasLineCount(1);
    }

    @Test
    void aScriptWithoutShebangRunsWithShAsEnvWould() throws IOException {
        Path script = shared.resolve("no-shebang");
        Files.writeString(script, "echo from-sh; exit 7\n");
        script.toFile().setExecutable(true, false);
        Oomguard.Result r = Oomguard.create().run("--", script.toString());
        assertThat(r.status()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("from-sh\n");
    }

    @Test
    void badOptionsGive125AndOneLineThatSaysWhatToDo() {
        Oomguard.Result r = Oomguard.create().run("--grace", "soon", "true");
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.stderr()).hasLineCount(1).contains("'soon'").contains("--help");
        Oomguard.Result none = Oomguard.create().run();
        assertThat(none.status()).isEqualTo(125);
        assertThat(none.stderr()).hasLineCount(1).contains("COMMAND");
    }

    @Test
    void optionsAfterTheCommandBelongToTheCommand() {
        Oomguard.Result r = Oomguard.create().run("-q", "echo", "--grace", "-v", "--");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("--grace -v --\n");
        assertThat(r.stderr()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void signalsReachAGrandchildWhoseParentIgnoresThem(String who, String[] via) throws Exception {
        for (String sig : List.of("TERM", "INT", "HUP", "USR1")) {
            Path dir = Files.createTempDirectory(shared, "sig");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            String child = "import signal,sys,time,os\n"
                    + "def h(n, f):\n"
                    + "    open(sys.argv[1] + '/got', 'w').write(signal.Signals(n).name)\n"
                    + "    sys.exit(0)\n"
                    + "signal.signal(signal.SIG" + sig + ", h)\n"
                    + "open(sys.argv[1] + '/ready', 'w').close()\n"
                    + "time.sleep(30)\n";
            Path py = dir.resolve("child.py");
            Files.writeString(py, child);
            py.toFile().setReadable(true, false);
            Process p = as(via).start("--", "sh", "-c",
                    "trap '' " + sig + "; python3 " + py + " " + dir + " & wait $!; wait $!; exit 0");
            waitForFile(dir.resolve("ready"), p);
            new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor();
            Oomguard.Result r = Oomguard.create().finish(p);
            assertThat(Files.readString(dir.resolve("got"))).as("SIG%s reached the grandchild", sig)
                    .isEqualTo("SIG" + sig);
            assertThat(r.status()).as("the parent ignored SIG%s and exited 0", sig).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void aDoubleForkedDaemonIsReportedAndStoppedWhenTheJobEnds(String who, String[] via) throws Exception {
        Path dir = Files.createTempDirectory(shared, "daemon");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Oomguard.Result r = as(via).run("--grace", "2s", "--", "sh", "-c",
                "(setsid sh -c 'echo $$ > " + dir + "/pid; exec sleep 60' &); sleep 0.5; exit 5");
        assertThat(r.status()).isEqualTo(5);
        long daemon = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
        assertThat(r.stderr()).contains("the job left 1 process(es) running: " + daemon + " (sleep)")
                .contains("sending TERM");
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void keepOrphansLeavesThemRunning() throws Exception {
        Path dir = Files.createTempDirectory(shared, "keep");
        Oomguard.Result r = Oomguard.create().run("--keep-orphans", "--", "sh", "-c",
                "(setsid sh -c 'echo $$ > " + dir + "/pid; exec sleep 60' &); sleep 0.5");
        long daemon = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
        try {
            assertThat(r.status()).isZero();
            assertThat(r.stderr()).contains("kept: --keep-orphans");
            assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)).isTrue();
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void stdinAndStdoutAreByteExactForLargeBinaryData(String who, String[] via) {
        byte[] data = new byte[24 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Oomguard.Result r = as(via).stdin(data).run("--quiet", "--", "cat");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEqualTo(data);
        assertThat(r.stderr()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void theJobSeesEmptySignalMasksAndOnlyDescriptorsZeroToTwo(String who, String[] via) {
        // grep reads its own status: a shell's would show the mask dash sets for a moment while it forks.
        Oomguard.Result masks = as(via).run("-q", "--", "grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status");
        assertThat(masks.out()).isEqualTo("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
        Oomguard.Result fds = as(via).run("-q", "--", "sh", "-c", LIST_FDS);
        assertThat(fds.out()).as("no descriptor above 2").isEqualTo("\n");
    }

    @Test
    void descriptorsTheCallerPassesOnPurposeReachTheJob() {
        Oomguard.Result r = plain(List.of("sh", "-c", "exec 7</dev/null 9>/dev/null; \"$0\" -- sh -c \"$1\"",
                Oomguard.launcher().toString(), LIST_FDS), 60);
        assertThat(r.out()).isEqualTo("7 9 \n");
    }

    @Test
    void ignoredSignalsOfTheCallerStayIgnoredAsWithoutOomguard() {
        Oomguard.Result r = plain(List.of("sh", "-c", "trap '' HUP; '" + Oomguard.launcher()
                + "' -- grep '^SigIgn' /proc/self/status"), 60);
        assertThat(r.out()).isEqualTo("SigIgn:\t0000000000000001\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void theEnvironmentIsTheCallersPlusOomguardPid(String who, String[] via) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", Files.createTempDirectory("oomguard-home").toString());
        env.put("LANG", "C");
        env.put("JAVA_TOOL_OPTIONS", "-Dthe.job.wants=this");
        env.put("SHLVL", "7");
        env.put("ODD", "spaces and = signs\nand a newline");
        new java.io.File(env.get("HOME")).setWritable(true, false);
        Oomguard.Result r = as(via).environment(env).run("-q", "--", "env", "-0");
        assertThat(r.status()).isZero();
        Map<String, String> seen = new TreeMap<>();
        for (String entry : r.out().split("\0")) {
            int eq = entry.indexOf('=');
            seen.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        String pid = seen.remove("OOMGUARD_PID");
        assertThat(seen.remove("OOMGUARD_CHECKPOINT_FILE")).endsWith("/checkpoint");
        for (String word : via) {
            if (word.startsWith("HOME=")) {
                env.put("HOME", word.substring(5)); // the unprivileged run sets its own HOME
            }
        }
        assertThat(pid).matches("\\d+");
        assertThat(seen).isEqualTo(new TreeMap<>(env));
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void argumentBytesArePassedExactlyEvenUnderLangC() {
        // "h\303\251llo" is UTF-8 for "héllo"; under LANG=C the JVM itself would decode it as "h??llo".
        Oomguard.Result r = plain(List.of("env", "-i", "PATH=/usr/bin:/bin", "LANG=C", "sh", "-c",
                "'" + Oomguard.launcher() + "' -- printf '%s|' \"$(printf 'h\\303\\251llo')\" \"$(printf '\\377\\001')\""), 60);
        assertThat(r.stdout()).isEqualTo(new byte[] {'h', (byte) 0xc3, (byte) 0xa9, 'l', 'l', 'o', '|',
            (byte) 0xff, 1, '|'});
    }

    @Test
    void thePipelineEndsWithTheJobsSigpipeStatus() {
        Oomguard.Result r = plain(List.of("bash", "-c", "'" + Oomguard.launcher()
                + "' -- yes | head -1; echo \"${PIPESTATUS[0]}\""), 60);
        assertThat(r.out()).isEqualTo("y\n141\n");
    }

    @Test
    void oomguardNeverWritesToStdout() {
        Oomguard.Result r = Oomguard.create().run("-v", "--", "true");
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("oomguard: started true as PID");
    }

    static String[] quoteAll(String[] words) {
        return Arrays.stream(words).map(w -> "'" + w + "'").toArray(String[]::new);
    }

    static Oomguard.Result plain(List<String> cmd, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Process p = pb.start();
            return Oomguard.create().timeoutSeconds(timeoutSeconds).finish(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void waitForFile(Path file, Process p) throws InterruptedException {
        for (int i = 0; i < 400 && !Files.exists(file); i++) {
            if (!p.isAlive()) {
                throw new AssertionError("oomguard ended before " + file + " appeared");
            }
            Thread.sleep(25);
        }
        assertThat(file).exists();
    }

    @Test
    void theJobKeepsTheCallersLimitsWorkingDirectoryAndUmask() {
        String probe = "cat /proc/self/limits; pwd; umask";
        String setup = "cd /usr/share && ulimit -n 777 && ulimit -s 4096 && umask 0027 && ";
        Oomguard.Result direct = plain(List.of("sh", "-c", setup + probe), 60);
        Oomguard.Result guarded = plain(List.of("sh", "-c", setup + "'" + Oomguard.launcher() + "' -q -- sh -c '"
                + probe + "'"), 60);
        assertThat(direct.out()).contains("777").contains("/usr/share").contains("0027");
        assertThat(guarded.out()).isEqualTo(direct.out());
    }
}
