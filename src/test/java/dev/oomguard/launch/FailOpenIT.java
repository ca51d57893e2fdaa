package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When no JVM can start, or oomguard is disabled, the command still runs and its status comes back. */
class FailOpenIT {
    @Test
    void underAnAddressSpaceLimitTooSmallForTheJvmTheCommandStillRuns() {
        // 200 MB of address space: enough for sh and printf, far too little for a JVM.
        Oomguard.Result r = TransparencyIT.plain(List.of("sh", "-c", "ulimit -v 200000; '" + Oomguard.launcher()
                + "' --grace 5s -- sh -c 'echo ran; exit 9'"), 60);
        assertThat(r.status()).isEqualTo(9);
        assertThat(r.out()).isEqualTo("ran\n");
        assertThat(r.stderr()).startsWith("oomguard: the JVM cannot start here (ulimit -v 200000")
                .contains("running the command without oomguard").hasLineCount(1);
    }

    @Test
    void oomguardDisableRunsTheCommandDirectlyAndSilently() {
        Oomguard.Result r = TransparencyIT.plain(List.of("env", "OOMGUARD_DISABLE=1", Oomguard.launcher().toString(),
                "run", "-v", "--keep-orphans", "--grace=3s", "--", "sh", "-c", "echo $OOMGUARD_PID; exit 3"), 60);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("\n");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void withoutJavaTheCommandStillRuns() {
        Oomguard.Result r = TransparencyIT.plain(List.of("env", "-i", "PATH=/nonexistent",
                "OOMGUARD_JAVA=/nonexistent/java", "/bin/sh", Oomguard.launcher().toString(),
                "/bin/sh", "-c", "exit 4"), 60);
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.stderr()).contains("no Java 17+ found").contains("running the command without oomguard");
    }

    @Test
    void withoutNativeAccessTheJobStillRunsUnguarded() {
        // JNA told neither to unpack its library from the jar nor to look for a system one: it cannot load.
        Oomguard.Result r = TransparencyIT.plain(List.of("env", "OOMGUARD_JVM_FLAGS=-Djna.nounpack=true -Djna.nosys=true",
                Oomguard.launcher().toString(), "--", "sh", "-c", "echo out; echo err >&2; exit 6"), 60);
        assertThat(r.status()).isEqualTo(6);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.stderr()).contains("cannot load native access").contains("running the job unguarded")
                .contains("err").doesNotContain("at com.sun.jna");
    }
}
