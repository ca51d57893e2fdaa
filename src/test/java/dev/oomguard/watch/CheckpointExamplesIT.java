package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint examples ({@code examples/sumsq.*}) for real: each job grows past its memory
 * cgroup's limit under oomguard, checkpoints when asked (and acknowledges it: the summary and the
 * record say so), is stopped before the kernel acts (137, the group's {@code oom_kill} still 0),
 * is started again under oomguard with more memory, resumes from its state and prints the right
 * sum. And the rule that a stop waits for a checkpoint in progress, with a job that never answers.
 * Root with a cgroup v1 memory controller, python3, Rscript and bash; skipped elsewhere.
 */
class CheckpointExamplesIT {
    /** 1² + 2² + ... + 160², the examples' default job. */
    private static final long SUM = 160L * 161 * 321 / 6;
    private static final Pattern CHECKPOINT_AT = Pattern.compile("checkpoint at iteration (\\d+)");

    @TempDir
    Path tmp;

    record Run(int status, String stdout, String stderr) {
    }

    @Test
    void thePythonJobCheckpointsOnUsr1IsStoppedAndResumes() throws Exception {
        Path state = tmp.resolve("sumsq.state");
        checkpointStopResume("sumsq.py", "128M", "256M", List.of("--checkpoint-signal", "USR1"),
                List.of("/usr/bin/python3", example("sumsq.py"), "--state", state.toString()), state,
                "the job wrote checkpoint.done");
    }

    @Test
    void theRJobPollsTheFlagFileIsStoppedAndResumes() throws Exception {
        Optional<Path> rscript = onPath("Rscript");
        assumeTrue(rscript.isPresent(), "no Rscript on PATH (apt-get install r-base-core)");
        Path state = tmp.resolve("sumsq.rds");
        checkpointStopResume("sumsq.R", "192M", "384M", List.of(),
                List.of(rscript.get().toString(), example("sumsq.R"), "--state", state.toString()), state,
                "the job removed the flag file");
    }

    @Test
    void theBashJobTrapsUsr1IsStoppedAndResumes() throws Exception {
        Path state = tmp.resolve("sumsq-sh.state");
        checkpointStopResume("sumsq.sh", "96M", "192M", List.of("--checkpoint-signal", "USR1"),
                List.of("/bin/bash", example("sumsq.sh"), "--state", state.toString()), state,
                "the job wrote checkpoint.done");
    }

    /** A job that never answers (it is not shown the flag file): the stop waits until exhaustion is within the grace. */
    @Test
    void aStopWaitsForAnUnansweredCheckpointUntilExhaustionIsWithinTheGrace() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("128M")) {
            Run r = oomguard(List.of("--interval", "100ms", "--grace", "1s", "--warn", "70%", "--checkpoint", "80%",
                    "--stop", "85%", "--checkpoint-lead", "1s", "--checkpoint-timeout", "60s", "--", "sh", "-c",
                    g.enter("env -u OOMGUARD_CHECKPOINT_FILE " + grow("--rate 10"))));
            String e = r.stderr();
            assertThat(r.status()).as(e).isEqualTo(137);
            assertThat(g.oomKills()).as("the kernel never had to act: " + e).isZero();
            assertThat(e).contains("oomguard: stop deferred: checkpoint in progress; --stop 85% reached")
                    // Decided on a reading ("... but there is no time left for it: exhaustion is predicted within
                    // the 1s grace period") or on the kernel's notification ("... exhaustion predicted within ..."):
                    // which comes first is a race; both stop for the same reason.
                    .containsPattern("exhaustion (is )?predicted within the 1s grace period")
                    .contains("not acknowledged (the job ended first)");
            assertThat(e.indexOf("ask the job to checkpoint")).isLessThan(e.indexOf("stop deferred"));
            assertThat(e.indexOf("stop deferred")).isLessThan(e.indexOf("oomguard: stop the job"));
        }
    }

    /** Past --checkpoint-timeout the checkpoint no longer holds a stop back. */
    @Test
    void aCheckpointNotAcknowledgedWithinTheTimeoutIsSaidSo() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("128M")) {
            Run r = oomguard(List.of("--interval", "100ms", "--grace", "1s", "--warn", "70%", "--checkpoint", "80%",
                    "--stop", "85%", "--checkpoint-lead", "1s", "--checkpoint-timeout", "300ms", "--", "sh", "-c",
                    g.enter("env -u OOMGUARD_CHECKPOINT_FILE " + grow("--rate 10"))));
            String e = r.stderr();
            assertThat(r.status()).as(e).isEqualTo(137);
            assertThat(g.oomKills()).as("the kernel never had to act: " + e).isZero();
            assertThat(e).contains("oomguard: the job did not acknowledge the checkpoint within the 300ms"
                    + " --checkpoint-timeout; the stop rules apply again")
                    .contains("not acknowledged (not within the 300ms --checkpoint-timeout)");
        }
    }

    private static String grow(String args) {
        return "/usr/bin/python3 " + example("grow.py") + " " + args;
    }

    private void checkpointStopResume(String name, String limit, String more, List<String> signal, List<String> job,
            Path state, String how) throws Exception {
        Path summary = tmp.resolve("summary.json");
        Path record = tmp.resolve("record.jsonl");
        Run first;
        try (MemoryGroup g = MemoryGroup.create(limit)) {
            List<String> options = new ArrayList<>(List.of("--interval", "100ms", "--grace", "1s",
                    "--checkpoint-lead", "2s", "--checkpoint-timeout", "10s", "--summary-json", summary.toString(),
                    "--record", record.toString()));
            options.addAll(signal);
            options.addAll(List.of("--", "sh", "-c", g.enter(String.join(" ", job))));
            first = oomguard(options);
            assertThat(g.oomKills()).as("the kernel never had to act: " + first.stderr()).isZero();
        }
        String e = first.stderr();
        assertThat(first.status()).as(e).isEqualTo(137);
        assertThat(e).contains(name + ": checkpoint at iteration").contains("stopped by oomguard")
                .contains("oomguard: the job acknowledged the checkpoint").contains(how);
        assertThat(e.indexOf("acknowledged the checkpoint")).isLessThan(e.indexOf("oomguard: stop the job"));
        assertThat(e).containsPattern("oomguard:   checkpoint asked at \\d\\d:\\d\\d:\\d\\d \\(\\d+\\.\\d% used\\),"
                + " acknowledged \\d+\\.\\d s later \\(" + Pattern.quote(how) + "\\)");
        assertThat(first.stdout()).doesNotContain("result");
        assertThat(state).as("the job's checkpoint").exists();
        // A checkpoint asked by the lead re-arms once exhaustion is more than twice the lead away:
        // a job whose growth comes back (R's start-up burst, then its steady growth) is asked again.
        Matcher at = CHECKPOINT_AT.matcher(e);
        List<String> saved = new ArrayList<>();
        while (at.find()) {
            saved.add(at.group(1));
        }
        assertThat(saved).as(e).isNotEmpty();
        String iteration = saved.get(saved.size() - 1); // the state the job resumes from

        ObjectMapper json = new ObjectMapper();
        JsonNode checkpoints = json.readTree(summary.toFile()).get("checkpoints");
        assertThat(checkpoints).as("one request per checkpoint the job wrote: " + e).hasSize(saved.size());
        for (JsonNode c : checkpoints) {
            assertThat(c.get("acknowledged").asBoolean()).as(c.toString()).isTrue();
            assertThat(c.get("answer").asText()).isEqualTo("acknowledged");
            assertThat(c.get("how").asText()).isEqualTo(how);
        }
        List<String> kinds = new ArrayList<>();
        for (String line : Files.readAllLines(record)) {
            JsonNode n = json.readTree(line);
            if ("event".equals(n.path("type").asText())) {
                kinds.add(n.get("kind").asText());
            }
        }
        assertThat(kinds).containsSubsequence("checkpoint", "checkpoint_acknowledged", "terminate");

        List<String> again = new ArrayList<>(List.of("--memory-max", more, "--interval", "100ms", "--grace", "1s",
                "--checkpoint-lead", "2s"));
        again.addAll(signal);
        again.add("--");
        again.addAll(job);
        Run second = oomguard(again);
        assertThat(second.status()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains(name + ": resumed at iteration " + iteration);
        assertThat(second.stdout().strip()).isEqualTo("result: " + SUM);
        assertThat(state).as("removed once the job is done").doesNotExist();
    }

    private static String example(String file) {
        Path p = Path.of("examples", file).toAbsolutePath();
        assumeTrue(Files.isReadable(p), "no " + p);
        return p.toString();
    }

    private static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Run oomguard(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("oomguard did not end: " + new String(err.getNow(new byte[0])));
        }
        return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
