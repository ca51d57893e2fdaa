package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromTextfileTest {
    @TempDir
    Path dir;

    @Test
    void rendersOneSeriesPerMetricWithEscapedLabelsAndBaseUnits() {
        String text = PromTextfile.render(new PromTextfile.Run("fit \"v2\"\\x\n", false, 137, 12.5, 1_700_000_000.25,
                true, "cgroup_limit", new RunSummary(), List.of("warn", "checkpoint", "terminate", "kill")));
        assertThat(text).contains("oomguard_job_exit_status{job_name=\"fit \\\"v2\\\"\\\\x\\n\"} 137\n")
                .contains("oomguard_job_duration_seconds{job_name=\"fit \\\"v2\\\"\\\\x\\n\"} 12.500\n")
                .contains("oomguard_job_stopped_by_oomguard{job_name=\"fit \\\"v2\\\"\\\\x\\n\"} 1\n")
                .contains(",verdict=\"cgroup_limit\"} 1\n")
                .contains(",step=\"kill\"} 1\n").contains(",step=\"pause\"} 0\n")
                .contains("# TYPE oomguard_job_actions_total counter\n");
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                assertThat(line).matches("oomguard_[a-z_]+\\{.*\\} -?[0-9.]+");
            }
        }
    }

    @Test
    void aRunningJobHasNoExitStatusYet() {
        String text = PromTextfile.render(new PromTextfile.Run("job", true, null, 1, 1, false, null, new RunSummary(),
                List.of()));
        assertThat(text).contains("oomguard_job_running{job_name=\"job\"} 1").doesNotContain("exit_status")
                .doesNotContain("oomguard_job_oom_kill");
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("job.prom");
        Files.writeString(file, "old\n");
        PromTextfile.write(file, new PromTextfile.Run("job", false, 0, 1, 1, false, null, new RunSummary(), List.of()));
        assertThat(Files.readString(file)).startsWith("# HELP oomguard_job_running");
        assertThat(dir.toFile().list()).containsExactly("job.prom");
    }

    @Test
    void theDefaultNameIsTheCommandsFileName() {
        assertThat(PromTextfile.nameOf("/usr/bin/Rscript fit.R")).isEqualTo("Rscript");
        assertThat(PromTextfile.nameOf("python3 -m train")).isEqualTo("python3");
    }
}
