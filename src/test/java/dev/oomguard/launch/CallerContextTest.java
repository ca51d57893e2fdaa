package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerContextTest {
    private static List<byte[]> environ(String... entries) {
        return java.util.Arrays.stream(entries).map(e -> e.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<String> strings(List<byte[]> env) {
        return env.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void withoutTheLauncherTheEnvironmentIsTakenAsIs() {
        CallerContext c = CallerContext.fromEnviron(environ("A=1", "PWD=/x", "_JAVA_SR_SIGNUM=62"));
        assertThat(strings(c.environment())).containsExactly("A=1", "PWD=/x", "_JAVA_SR_SIGNUM=62");
        assertThat(c.passedFds()).isEmpty();
        assertThat(c.ignoredSignals()).isZero();
    }

    @Test
    void theLaunchersAndTheShellsAdditionsAreUndone() {
        CallerContext c = CallerContext.fromEnviron(environ(
                "A=1",
                "PWD=/added/by/dash",
                "SHLVL=2",
                "_JAVA_SR_SIGNUM=62",
                "__OOMGUARD_SAVED_JAVA_TOOL_OPTIONS=-Xmx1g",
                "__OOMGUARD_SAVED__JAVA_SR_SIGNUM=40",
                "__OOMGUARD_FDS= 7 9",
                "__OOMGUARD_SIG=SigIgn:0000000180000001 ",
                "__OOMGUARD_ENV=checked\nSHLVL=1"));
        assertThat(strings(c.environment())).containsExactlyInAnyOrder(
                "A=1", "JAVA_TOOL_OPTIONS=-Xmx1g", "_JAVA_SR_SIGNUM=40", "SHLVL=1");
        assertThat(c.passedFds()).containsExactly(7, 9);
        assertThat(c.ignoredSignals()).as("HUP kept, glibc's 32 and 33 dropped").isEqualTo(1L);
    }

    @Test
    void oomguardVariablesReplaceEarlierOnesAndBytesSurvive() {
        byte[] raw = {'B', '=', (byte) 0xff, (byte) 0xfe};
        CallerContext c = CallerContext.fromEnviron(List.of(raw, "OOMGUARD_PID=1".getBytes(StandardCharsets.UTF_8)));
        List<byte[]> env = c.environmentWith(Map.of("OOMGUARD_PID", "42"));
        assertThat(env).hasSize(2);
        assertThat(env.get(0)).isEqualTo(raw);
        assertThat(new String(env.get(1), StandardCharsets.UTF_8)).isEqualTo("OOMGUARD_PID=42");
    }

    @Test
    void theCallersOwnEnvironmentIsTheJobsByteForByte() {
        byte[] nonUtf8Name = {'N', (byte) 0xff, '=', 'x'};
        List<byte[]> jvm = environ("A=1", "PWD=/added/by/dash", "__OOMGUARD_ENVIRON=5", "__OOMGUARD_FDS= 7",
                "__OOMGUARD_SIG=SigIgn:0000000000000001 ", "__OOMGUARD_ENV=checked", "_JAVA_SR_SIGNUM=62");
        List<byte[]> caller = List.of("my.var=2".getBytes(StandardCharsets.UTF_8),
                "A-B=4".getBytes(StandardCharsets.UTF_8), "1X=5".getBytes(StandardCharsets.UTF_8), nonUtf8Name,
                "A=1".getBytes(StandardCharsets.UTF_8), "JAVA_TOOL_OPTIONS=-Xmx1g".getBytes(StandardCharsets.UTF_8),
                "__OOMGUARD_FDS=from an outer run".getBytes(StandardCharsets.UTF_8));

        assertThat(CallerContext.callerEnvironFd(jvm)).hasValue(5);
        CallerContext c = CallerContext.fromEnviron(jvm, java.util.Optional.of(caller));

        assertThat(c.environment()).containsExactlyElementsOf(caller.subList(0, 6));
        assertThat(c.passedFds()).containsExactly(7);
        assertThat(c.ignoredSignals()).isEqualTo(1L);
    }

    @Test
    void onlyADescriptorTheLauncherCouldHaveOpenedIsRead() {
        assertThat(CallerContext.callerEnvironFd(environ("__OOMGUARD_ENVIRON=1"))).isEmpty();
        assertThat(CallerContext.callerEnvironFd(environ("__OOMGUARD_ENVIRON=12"))).isEmpty();
        assertThat(CallerContext.callerEnvironFd(environ("A=1"))).isEmpty();
    }
}
