package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.launch.WaitStatus;
import dev.oomguard.watch.ExitStatus.Collected;
import dev.oomguard.watch.ExitStatus.End;
import dev.oomguard.watch.ExitStatus.Exit;
import dev.oomguard.watch.ExitStatus.Interrupted;
import dev.oomguard.watch.ExitStatus.MemoryKill;
import dev.oomguard.watch.ExitStatus.NotCollected;
import dev.oomguard.watch.ExitStatus.Policy;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** oomguard's exit status and its words, as the table in the README gives them. */
class ExitStatusTest {
    private static final Policy DEFAULTS = new Policy(false, false, false);
    private static final Policy PRESERVE = new Policy(true, false, false);
    private static final Policy ALLOW_PARTIAL = new Policy(false, true, false);
    private static final Policy RERAISE = new Policy(false, false, true);

    private static End exited(int code) {
        return new Collected(new WaitStatus(code << 8));
    }

    private static End killedBy(int signal) {
        return new Collected(new WaitStatus(signal));
    }

    private static End unknown() {
        return new NotCollected(Optional.empty());
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // end, stopped by oomguard, partial kills, policy -> status, re-raise, reason
                row(exited(0), false, 0, DEFAULTS, 0, 0, "exit status 0"),
                row(exited(3), false, 0, DEFAULTS, 3, 0, "exit status 3"),
                row(killedBy(15), false, 0, DEFAULTS, 143, 0, "killed by SIGTERM"),
                row(killedBy(9), false, 0, RERAISE, 137, 9, "killed by SIGKILL"),
                row(killedBy(40), false, 0, RERAISE, 168, 0, "killed by signal 40"),
                row(killedBy(15), true, 0, DEFAULTS, 137, 0,
                        "killed by SIGTERM; stopped by oomguard (oomguard exits 137; --preserve-status gives the job's own)"),
                row(killedBy(9), true, 0, DEFAULTS, 137, 0, "killed by SIGKILL; stopped by oomguard"),
                row(killedBy(15), true, 0, PRESERVE, 143, 0, "killed by SIGTERM; stopped by oomguard"),
                row(exited(0), true, 0, DEFAULTS, 137, 0,
                        "exit status 0; stopped by oomguard (oomguard exits 137; --preserve-status gives the job's own)"),
                row(exited(0), false, 1, DEFAULTS, 137, 0, "exit status 0, but 1 of its processes was OOM-killed"
                        + " (oomguard exits 137; --allow-partial gives the job's own)"),
                row(exited(0), false, 2, ALLOW_PARTIAL, 0, 0,
                        "exit status 0, but 2 of its processes were OOM-killed (--allow-partial)"),
                row(exited(1), false, 2, DEFAULTS, 1, 0, "exit status 1; 2 of its processes were OOM-killed before"),
                row(killedBy(9), false, 1, RERAISE, 137, 9, "killed by SIGKILL; 1 of its processes were OOM-killed before"),
                // oomguard watch: the job's own status cannot be collected
                row(unknown(), false, 0, PRESERVE, 0, 0, "status unknown (exited; not started by oomguard)"),
                row(unknown(), true, 0, PRESERVE, 137, 0,
                        "ended after oomguard stopped it (--act); its own status is unknown (not started by oomguard)"),
                row(new NotCollected(Optional.of(new MemoryKill("a memory-cgroup limit was reached", true))), false, 1,
                        ALLOW_PARTIAL, 137, 0, "killed for memory: a memory-cgroup limit was reached"
                                + " (from the kernel log; not started by oomguard)"),
                row(new NotCollected(Optional.of(new MemoryKill("it died", false))), false, 0, DEFAULTS, 137, 0,
                        "killed for memory: it died (from the OOM-kill counters; not started by oomguard)"),
                row(unknown(), false, 1, DEFAULTS, 137, 0, "status unknown (exited; not started by oomguard),"
                        + " but 1 of its processes was OOM-killed (oomguard exits 137; --allow-partial gives 0)"),
                row(unknown(), false, 3, ALLOW_PARTIAL, 0, 0, "status unknown (exited; not started by oomguard),"
                        + " but 3 of its processes were OOM-killed (--allow-partial)"),
                row(new Interrupted(2), true, 1, DEFAULTS, 130, 0,
                        "still running: oomguard stopped watching on SIGINT and left the job alone"),
                row(new Interrupted(15), false, 0, DEFAULTS, 143, 0,
                        "still running: oomguard stopped watching on SIGTERM and left the job alone"));
    }

    private static Arguments row(End end, boolean stopped, long partial, Policy policy, int status, int reraise,
            String reason) {
        return Arguments.of(end, stopped, partial, policy, new Exit(status, reraise, reason));
    }

    @ParameterizedTest(name = "{0}, stopped {1}, {2} partial, {3}")
    @MethodSource("table")
    void mapsHowTheJobEndedToOomguardsStatusAndWords(End end, boolean stopped, long partial, Policy policy,
            Exit expected) {
        assertThat(ExitStatus.of(end, stopped, partial, policy)).isEqualTo(expected);
    }
}
