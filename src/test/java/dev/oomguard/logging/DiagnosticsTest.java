package dev.oomguard.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.report.RunLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsTest {
    private static final String STAMPED = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) oomguard\\[4242\\]: ";

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private final List<String> said = new ArrayList<>();

    private Diagnostics start(boolean verbose, Optional<RunLog> log, Optional<Path> site) {
        return Diagnostics.start(verbose, log, new PrintWriter(err), said::add, site);
    }

    private RunLog log(Path file) throws IOException {
        return RunLog.open(file, 4242, Clock.systemDefaultZone(), said::add);
    }

    @Test
    void aRunThatLogsNothingGetsNoLogback() {
        try (Diagnostics d = start(false, Optional.empty(), Optional.empty())) {
            assertThat(d).isSameAs(Diagnostics.NONE);
            d.event("said");
            d.detail("detail");
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theFacadeNamesNoLogbackOrSlf4jTypeSoARunThatLogsNothingLoadsNone() {
        List<Class<?>> named = new ArrayList<>();
        for (var f : Diagnostics.class.getDeclaredFields()) {
            named.add(f.getType());
        }
        for (var m : Diagnostics.class.getDeclaredMethods()) {
            named.add(m.getReturnType());
            named.addAll(List.of(m.getParameterTypes()));
        }
        assertThat(named).extracting(Class::getName).noneMatch(n -> n.startsWith("ch.qos.") || n.startsWith("org.slf4j."));
    }

    @Test
    void verboseShowsTheDetailsOnStderrAsTheConsoleWritesItsLines() {
        try (Diagnostics d = start(true, Optional.empty(), Optional.empty())) {
            d.event("already on stderr through the console");
            d.detail("holding the lock /tmp/l (descriptor 5, inherited by the job)");
        }
        assertThat(err.toString()).isEqualTo("oomguard: holding the lock /tmp/l (descriptor 5, inherited by the job)\n");
    }

    @Test
    void theLogGetsEventsAndDetailsStampedOneLineEach() throws IOException {
        Path file = dir.resolve("oomguard.log");
        Files.writeString(file, "an earlier run\n");
        try (Diagnostics d = start(false, Optional.of(log(file)), Optional.empty())) {
            d.event("warn: 80% of the limit");
            d.detail("the job runs in the memory cgroup /x");
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("an earlier run");
        assertThat(lines.get(1)).matches(STAMPED + "warn: 80% of the limit");
        assertThat(lines.get(2)).matches(STAMPED + "the job runs in the memory cgroup /x");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aSitesConfigurationGetsTheEventsBesideOomguardsOwnOutputs() throws IOException {
        Path site = dir.resolve("logback.xml");
        Path siteOut = dir.resolve("site.log");
        Files.writeString(site, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%level %%logger %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(siteOut));
        Path file = dir.resolve("oomguard.log");
        try (Diagnostics d = start(true, Optional.of(log(file)), Optional.of(site))) {
            d.event("stop: 95% of the limit");
            d.detail("a detail");
        }
        // The site's root is at INFO, but -v and --log set oomguard's logger to DEBUG: the site filters in its appender.
        assertThat(Files.readAllLines(siteOut)).containsExactly("INFO oomguard stop: 95% of the limit",
                "DEBUG oomguard a detail");
        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(err.toString()).isEqualTo("oomguard: a detail\n");
        assertThat(said).isEmpty();
    }

    @Test
    void aSiteConfigurationAloneIsEnoughToLog() throws IOException {
        Path site = dir.resolve("logback.xml");
        Path siteOut = dir.resolve("site.log");
        Files.writeString(site, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%level %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="oomguard" level="INFO"/>
                  <root level="DEBUG"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(siteOut));
        try (Diagnostics d = start(false, Optional.empty(), Optional.of(site))) {
            d.event("the job exited with status 0");
            d.detail("below the site's level");
        }
        assertThat(Files.readAllLines(siteOut)).containsExactly("INFO the job exited with status 0");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aBrokenSiteConfigurationIsToldOnceAndTheRunLogsOn() throws IOException {
        Path site = dir.resolve("logback.xml");
        Files.writeString(site, "<configuration><appender name=\"X\" class=\"no.such.Appender\"/>");
        Path file = dir.resolve("oomguard.log");
        try (Diagnostics d = start(false, Optional.of(log(file)), Optional.of(site))) {
            d.event("still logged");
        }
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).startsWith("logback configuration " + site + ": ");
        assertThat(Files.readAllLines(file)).singleElement().asString().endsWith("still logged");
    }
}
