package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that names itself with a newline and an ESC sequence (prctl(PR_SET_NAME), as any process
 * may) cannot forge an {@code oomguard:} line on stderr or in --log, nor reach the terminal raw.
 */
class HostileNameIT {
    /** 15 bytes, the most a name holds: a newline, a forged prefix, ESC [2J (clear the screen). */
    private static final String JOB = "import ctypes, time; ctypes.CDLL(None).prctl(15, b'x\\noomguard:\\x1b[2J', 0, 0, 0);"
            + " b = bytearray(24 << 20); b[::4096] = b'x' * len(b[::4096]); time.sleep(2)";

    @Test
    void theNameIsPrintedEscapedOnStderrAndInTheLog(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("run.log");
        Oomguard.Result r = Oomguard.create().run("--interval", "100ms", "--log", log.toString(), "--", "python3", "-c",
                JOB);
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("(x\\noomguard:\\e[2J)").doesNotContain("\u001b");
        assertThat(r.stderr().lines()).allMatch(l -> l.startsWith("oomguard: "));
        List<String> logged = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(String.join("\n", logged)).contains("(x\\noomguard:\\e[2J)").doesNotContain("\u001b");
        assertThat(logged).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ oomguard\\[\\d+]: .*"));
    }
}
