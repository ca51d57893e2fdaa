package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man page, rendered by the real groff: every option documented, no warning. */
class ManPageIT {
    @Test
    void theManPageDocumentsEveryOptionAndRendersWithoutWarnings(@TempDir Path dir) throws Exception {
        String page = Docs.manPage();
        for (String option : Docs.allOptionNames()) {
            assertThat(page).as(option).contains("\\fB" + option.replace("-", "\\-") + "\\fR");
        }
        assertThat(page).contains(".SH CONFIGURATION").contains("OOMGUARD_OPTS").contains("/etc/oomguard.conf");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        Path file = dir.resolve("oomguard.1");
        Files.writeString(file, page);
        Process groff = new ProcessBuilder("/usr/bin/groff", "-man", "-Tutf8", "-ww", file.toString())
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        String warnings = new String(groff.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(groff.waitFor()).isZero();
        assertThat(warnings).isEmpty();
        String rendered = Files.readString(dir.resolve("out.txt")).replaceAll(".\b", "");
        assertThat(rendered).contains("--checkpoint-lead DURATION").contains("oomguard config");
    }
}
