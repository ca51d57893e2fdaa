package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.SelfFiles;
import dev.oomguard.testing.Oomguard;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job gets the caller's environment byte for byte, even names /bin/sh (dash) cannot hold and
 * drops from what it passes on: guarded, with {@code OOMGUARD_DISABLE=1}, and when the JVM cannot
 * start (fail open).
 */
class EnvironmentBytesIT {
    /** Names no POSIX shell can hold, a value with a newline and a control byte, a non-UTF-8 name. */
    private static final String CALLER_ENV = "PATH=/usr/bin:/bin 'my.var=2' 'A-B=4' '1X=5' \"$(printf 'N\\377=x')\""
            + " \"V=$(printf 'a\\nb\\001c')\" 'Q=it'\"'\"'s $HOME' 'BASH_FUNC_f%%=() {  echo f\n}'";
    private static final List<String> EXPECTED_HEX = List.of(hex("my.var=2"), hex("A-B=4"), hex("1X=5"),
            "4eff3d78", hex("V=a\nb\u0001c"), hex("Q=it's $HOME"), hex("BASH_FUNC_f%%=() {  echo f\n}"),
            hex("PATH=/usr/bin:/bin"));

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code env -0} through the launcher with exactly CALLER_ENV plus {@code extra}; the job's entries in hex. */
    private static List<String> jobEnvironment(String before, String extra, String... options) {
        String script = before + "exec env -i " + CALLER_ENV + " " + extra + " '" + Oomguard.launcher() + "' "
                + String.join(" ", options) + " -- env -0";
        Oomguard.Result r = TransparencyIT.plain(List.of("sh", "-c", script), 90);
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("\tat ");
        return SelfFiles.splitNul(r.stdout()).stream().map(b -> HexFormat.of().formatHex(b)).toList();
    }

    @Test
    void guardedTheJobGetsEveryEntryAsTheCallerWroteIt() {
        List<String> env = jobEnvironment("", "", "--quiet");
        assertThat(env).containsAll(EXPECTED_HEX);
        assertThat(env).as("only oomguard's own variables are added").allMatch(e -> EXPECTED_HEX.contains(e)
                || text(e).startsWith("OOMGUARD_PID=") || text(e).startsWith("OOMGUARD_CHECKPOINT_FILE="));
    }

    @Test
    void withOomguardDisabledTheEnvironmentIsExactlyTheCallers() {
        List<String> env = jobEnvironment("", "OOMGUARD_DISABLE=1", "--quiet");
        assertThat(env).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(EXPECTED_HEX.stream(), java.util.stream.Stream.of(hex("OOMGUARD_DISABLE=1")))
                        .toList());
    }

    @Test
    void whenTheJvmCannotStartTheEnvironmentIsExactlyTheCallers() {
        // 200 MB of address space: enough for sh, xargs and env, far too little for a JVM.
        List<String> env = jobEnvironment("ulimit -v 200000; ", "", "--quiet");
        assertThat(env).containsExactlyInAnyOrderElementsOf(EXPECTED_HEX);
    }

    @Test
    void theJvmOptionVariablesTheLauncherHidesStillReachTheJob() {
        List<String> env = jobEnvironment("", "'JAVA_TOOL_OPTIONS=-Dx=1' '_JAVA_OPTIONS=-Dy=2'", "--quiet");
        assertThat(env).contains(hex("JAVA_TOOL_OPTIONS=-Dx=1"), hex("_JAVA_OPTIONS=-Dy=2"));
        assertThat(env.stream().map(EnvironmentBytesIT::text)).noneMatch(e -> e.startsWith("__OOMGUARD_"))
                .noneMatch(e -> e.startsWith("_JAVA_SR_SIGNUM="));
    }

    /**
     * Another user plants a FIFO where a predictable copy of root's environment would go
     * ({@code /tmp/.oomguard-environ.PID}, PID the launcher's, which is the shell's that execs it):
     * nothing of the environment is written to it (a write would block here, with no reader, and
     * the run would time out), and the job still gets every entry.
     */
    @Test
    void aFifoPlantedByAnotherUserWhereTheCopyCouldGoGetsNothing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Users.isRoot(), "needs root to plant as another user");
        java.nio.file.Path[] planted = new java.nio.file.Path[1];
        try {
            String plant = "p=/tmp/.oomguard-environ.$$; echo \"$p\" >&2; setpriv --reuid=nobody --regid=nogroup"
                    + " --clear-groups mkfifo -m 666 \"$p\" || exit 99; ";
            String script = plant + "exec env -i " + CALLER_ENV + " '" + Oomguard.launcher() + "' --quiet -- env -0";
            Oomguard.Result r = TransparencyIT.plain(List.of("sh", "-c", script), 90);
            planted[0] = java.nio.file.Path.of(r.stderr().lines().findFirst().orElseThrow());
            assertThat(r.status()).as(r.stderr()).isZero();
            List<String> env = SelfFiles.splitNul(r.stdout()).stream().map(b -> HexFormat.of().formatHex(b)).toList();
            assertThat(env).containsAll(EXPECTED_HEX);
            assertThat(java.nio.file.Files.readAttributes(planted[0], java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).as("the plant is left as it was").isTrue();
        } finally {
            if (planted[0] != null) {
                java.nio.file.Files.deleteIfExists(planted[0]);
            }
        }
    }

    private static String text(String hexEntry) {
        return new String(HexFormat.of().parseHex(hexEntry), StandardCharsets.UTF_8);
    }
}
