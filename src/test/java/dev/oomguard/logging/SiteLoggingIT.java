package dev.oomguard.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site's logback configuration, given to the real launcher, gets oomguard's events; stdout stays the job's. */
class SiteLoggingIT {
    @TempDir
    Path tmp;

    private static String launcher() {
        return Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString();
    }

    private record Run(int status, String stdout, String stderr) {
    }

    private Run run(String jvmFlags, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(launcher()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (jvmFlags != null) {
            pb.environment().put("OOMGUARD_JVM_FLAGS", jvmFlags);
        }
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void aSitesFileGetsEveryRunsEventsBesideStderr() throws Exception {
        Path site = tmp.resolve("logback.xml");
        Path siteLog = tmp.resolve("site.log");
        Files.writeString(site, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%level %%logger %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(siteLog));
        Run plain = run(null, "--", "sh", "-c", "echo job-output");
        Run logged = run("-Dlogback.configurationFile=" + site, "--", "sh", "-c", "echo job-output");

        assertThat(logged.status()).isZero();
        assertThat(logged.stdout()).isEqualTo("job-output\n").isEqualTo(plain.stdout());
        assertThat(logged.stderr()).contains("oomguard: summary of sh -c echo job-output")
                .doesNotContain("logback").doesNotContain("SLF4J");
        assertThat(Files.readAllLines(siteLog)).contains("INFO oomguard summary of sh -c echo job-output");
    }

    @Test
    void aBrokenSiteFileIsNamedOnStderrAndTheJobRuns() throws Exception {
        Path site = tmp.resolve("logback.xml");
        Files.writeString(site, "<configuration><appender name=\"X\" class=\"no.such.Appender\"/>");
        Run r = run("-Dlogback.configurationFile=" + site, "--", "sh", "-c", "echo job-output");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEqualTo("job-output\n");
        assertThat(r.stderr()).contains("oomguard: logback configuration " + site + ": ");
    }
}
