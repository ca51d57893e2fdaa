package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import dev.oomguard.testing.Oomguard.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's --limit is a cap: a job that jumps past it in one step and holds flat is stopped at the
 * next reading, whatever its growth looked like, also when oomguard itself was stopped (SIGSTOP)
 * while the job jumped. No cgroup is needed: --limit is oomguard's own cap, not the kernel's.
 */
class UserCapIT {
    /** 80 MiB at once under a 50 MiB cap (60% past it), then flat for 6 s. */
    private static final String JUMP = "import time; b = b'\\x01' * (80 << 20); time.sleep(6)";

    @TempDir
    Path tmp;

    private static Result run(List<String> job) {
        List<String> args = new java.util.ArrayList<>(List.of("--limit", "50M", "--grace", "1s", "--"));
        args.addAll(job);
        return Oomguard.create().timeoutSeconds(60).run(args);
    }

    private static void assertStoppedAtTheCap(Result r) {
        String e = r.stderr();
        assertThat(r.status()).as(e).isEqualTo(137);
        assertThat(e).contains("oomguard: stop the job (TERM to its process group")
                .contains("--stop 95% of your --limit 50M cap reached")
                .contains("a cap is enforced whatever the growth").contains("stopped by oomguard")
                .doesNotContain("grow.py: done");
    }

    @Test
    void aJobThatJumpsPastTheCapInOneStepAndHoldsIsStoppedEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertStoppedAtTheCap(run(List.of("/usr/bin/python3", "-c", JUMP)));
        }
    }

    @Test
    void itIsStoppedAlsoWhenOomguardWasStoppedWhileTheJobJumped() throws Exception {
        // The job's shell stops oomguard (its parent) for 5 s; python jumps past the cap meanwhile.
        Path script = tmp.resolve("jump-while-stopped.sh");
        Files.writeString(script, String.join("\n",
                "guard=$PPID",
                "/usr/bin/python3 -c \"import time; time.sleep(1.5); b = b'\\x01' * (80 << 20); time.sleep(8)\" &",
                "job=$!",
                "sleep 1",
                "kill -STOP $guard",
                "sleep 5",
                "kill -CONT $guard",
                "wait $job",
                "echo 'the job was not stopped' >&2",
                ""));
        for (int i = 0; i < 2; i++) {
            Result r = run(List.of("/bin/sh", script.toString()));
            assertStoppedAtTheCap(r);
            assertThat(r.stderr()).doesNotContain("the job was not stopped");
        }
    }
}
