package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --log file refuses what is not a regular file; the FIFO is made by the real mkfifo. */
class RunLogIT {
    @TempDir
    Path dir;

    @Test
    void aSymbolicLinkAFifoOrADeviceIsRefusedAndWhatItLeadsToIsUntouched() throws Exception {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.log"), victim);
        assertThatThrownBy(() -> RunLog.open(link, 1, Clock.systemUTC(), m -> { }))
                .hasMessage("--log: cannot open " + link + " for appending: it is a symbolic link (give the path of a"
                        + " regular file)");
        assertThatThrownBy(() -> RunLog.open(Path.of("/dev/null"), 1, Clock.systemUTC(), m -> { }))
                .hasMessageEndingWith("for appending: it is a character device, not a regular file");
        Path fifo = dir.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "no mkfifo here");
        assertThatThrownBy(() -> RunLog.open(fifo, 1, Clock.systemUTC(), m -> { }))
                .hasMessageEndingWith("for appending: it is a FIFO or a socket, not a regular file");
        assertThat(victim).hasContent("precious");
    }
}
