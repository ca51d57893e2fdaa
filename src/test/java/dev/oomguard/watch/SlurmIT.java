package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * oomguard inside real Slurm jobs: a private single-node Slurm 22.05 with memory enforcement
 * through cgroup v1 ({@link LocalSlurm}). A job over its --mem killed by Slurm's cgroup and
 * explained; one stopped by oomguard first; Slurm's TERM (scancel, and a real one-minute time limit)
 * reaching the job exactly once with both kinds of process tracking; USR1 through the documented
 * batch script as "checkpoint now".
 * Root with the Slurm packages only; skipped elsewhere with the reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmIT {
    private static LocalSlurm slurm;

    private static final String OOMGUARD = Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard"))
            .toAbsolutePath().toString();
    private static final String GROW = Path.of("examples/grow.py").toAbsolutePath().toString();
    private static final String SIGNALS = Path.of("src/test/resources/slurm/signals.py").toAbsolutePath().toString();
    private static final String SBATCH_EXAMPLE = Path.of("examples/slurm/oomguard.sbatch").toAbsolutePath().toString();

    /** A job that runs into its one-minute time limit while the other tests run (Slurm checks limits every 30 s). */
    private static long timeLimited;

    @BeforeAll
    static void startSlurm() throws Exception {
        LocalSlurm.assumeAvailable();
        slurm = LocalSlurm.start("proctrack/cgroup");
        timeLimited = slurm.sbatch("time-limit", "#!/bin/bash\nexec " + OOMGUARD + " -- /usr/bin/python3 " + SIGNALS
                + "\n", Map.of(), "--mem=300M", "--time=1");
    }

    @AfterAll
    static void stopSlurm() throws Exception {
        if (slurm != null) {
            slurm.close();
        }
    }

    /** sbatch's environment: oomguard on the PATH, as a user who installed it would have it. */
    private static Map<String, String> withOomguardOnPath() {
        String bin = Path.of(OOMGUARD).getParent().toString();
        return Map.of("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    @Test
    @Order(1)
    void aJobOverItsMemIsKilledBySlurmsCgroupAndExplained() throws Exception {
        long job = slurm.sbatch("over-mem", "#!/bin/bash\nexec " + OOMGUARD + " --dry-run --verbose --interval 100ms"
                + " -- /usr/bin/python3 " + GROW + " --rate 40\n", Map.of(), "--mem=200M");
        String state = slurm.awaitEnd(job, 180);
        String out = slurm.output(job);
        System.out.println("== Slurm job " + job + "\n" + out); // kept in target/failsafe-reports
        assertThat(state).as(out).startsWith("OUT_OF_MEMORY");
        assertThat(out).contains("inside Slurm job " + job + ", step batch (SLURM_JOB_ID=" + job + ")",
                "Slurm job " + job + "'s memory allocation (--mem 200M)");
        // The kernel's report names Slurm's cgroup, and the explanation says it in Slurm's terms.
        assertThat(out).containsPattern("oom_memcg=/slurm[^/]*/uid_0/job_" + job);
        assertThat(out).contains("Slurm job " + job + " exceeded its memory allocation of 200M (--mem)",
                "memory usage 200.0 MiB of 200.0 MiB",
                "To finish, Slurm job " + job + " needs more than its 200M allocation.",
                "sbatch --mem=384M (it had --mem=200M");
        assertThat(out).contains("[cgroup_limit, confidence high]");
    }

    @Test
    @Order(2)
    void oomguardStopsTheJobBeforeSlurmsLimit() throws Exception {
        long job = slurm.sbatch("stopped", "#!/bin/bash\nexec " + OOMGUARD + " --interval 100ms --grace 1s"
                + " --checkpoint-lead 1s -- /usr/bin/python3 " + GROW + " --rate 16\n", Map.of(), "--mem=300M");
        String state = slurm.awaitEnd(job, 180);
        String out = slurm.output(job);
        System.out.println("== Slurm job " + job + "\n" + out); // kept in target/failsafe-reports
        assertThat(state).as(out).isEqualTo("FAILED 137:0");
        assertThat(out).contains("oomguard: stop the job", "on Slurm job " + job + "'s memory allocation (--mem 300M)",
                "stopped by oomguard (oomguard exits 137", "(sbatch --mem= above 300M)");
        assertThat(out).doesNotContain("exceeded its memory allocation", "oom-kill event", "Killed process");
    }

    @Test
    @Order(3)
    void slurmsTermToTheStepReachesTheJobOnceThroughOomguard() throws Exception {
        // scancel --signal=TERM signals the job's srun steps through proctrack, as the time limit does;
        // proctrack/cgroup sends it to the step's tasks only (here oomguard), so oomguard relays it.
        long job = slurm.sbatch("term-cgroup", "#!/bin/bash\nsrun " + OOMGUARD + " --verbose -- /usr/bin/python3 "
                + SIGNALS + "\n", Map.of(), "--mem=300M");
        slurm.awaitOutput(job, o -> o.contains("job: ready"), 120);
        slurm.scancel("--signal=TERM", Long.toString(job));
        slurm.awaitEnd(job, 120);
        String out = slurm.output(job);
        System.out.println("== Slurm job " + job + "\n" + out); // kept in target/failsafe-reports
        assertThat(out).contains("inside Slurm job " + job + ", step 0", "job: signals SIGTERM\n")
                .doesNotContain("not relayed");
    }

    @Test
    @Order(4)
    void usr1ThroughTheDocumentedScriptIsCheckpointNow() throws Exception {
        Path record = slurm.dir().resolve("usr1.jsonl");
        Path hook = slurm.dir().resolve("hook.txt");
        // The documented script (docs/where-jobs-live.md, "Slurm"; DocsPagesTest keeps the two in step);
        // the test adds a run record and an --on-checkpoint hook to see what happened.
        String script = Files.readString(Path.of(SBATCH_EXAMPLE))
                .replace("oomguard -- \"$@\" &", "oomguard --record " + record + " --on-checkpoint 'echo \"$OOMGUARD_REASON\" > "
                        + hook + "' -- \"$@\" &");
        long job = slurm.sbatch("usr1", script, withOomguardOnPath(), java.util.List.of("--mem=300M", "--time=10"),
                java.util.List.of("/usr/bin/python3", SIGNALS));
        slurm.awaitOutput(job, o -> o.contains("job: ready"), 120);
        slurm.scancel("--signal=USR1", "--batch", Long.toString(job)); // what --signal=B:USR1@N sends
        slurm.awaitOutput(job, o -> o.contains("job: got SIGUSR1"), 60);
        slurm.scancel("--signal=TERM", "--batch", Long.toString(job)); // the script passes TERM on too
        String state = slurm.awaitEnd(job, 120);
        String out = slurm.output(job);
        System.out.println("== Slurm job " + job + "\n" + out); // kept in target/failsafe-reports
        assertThat(state).as(out).isEqualTo("FAILED 3:0");
        assertThat(out).contains("oomguard: ask the job to checkpoint: SIGUSR1 inside Slurm job " + job,
                "job: got SIGUSR1 (checkpoint file: SIGUSR1 inside Slurm job " + job, "job: signals SIGUSR1,SIGTERM\n");
        assertThat(Files.readString(hook)).contains("SIGUSR1 inside Slurm job " + job);
        String jsonl = Files.readString(record);
        assertThat(jsonl).contains("\"checkpoint_requested\"", "\"signal_forwarded\"");
        assertThat(countOf(jsonl, "\"signal_name\":\"SIGTERM\"")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void atTheTimeLimitSlurmsTermReachesTheJobOnceThroughOomguard() throws Exception {
        // exec: oomguard is the batch step's task, the one process proctrack/cgroup sends TERM to.
        String state = slurm.awaitEnd(timeLimited, 240);
        String out = slurm.output(timeLimited);
        System.out.println("== Slurm job " + timeLimited + "\n" + out);
        assertThat(state).as(out).isEqualTo("TIMEOUT 3:0");
        assertThat(out).contains("CANCELLED AT", "DUE TO TIME LIMIT", "job: got SIGTERM", "job: signals SIGTERM\n")
                .doesNotContain("not relayed");
    }

    @Test
    @Order(6)
    void withLinuxprocSlurmsTermReachesTheJobItselfAndIsNotRelayed() throws Exception {
        // proctrack/linuxproc signals every descendant of slurmstepd: the job gets TERM from Slurm.
        slurm.restart("proctrack/linuxproc");
        long job = slurm.sbatch("term-linuxproc", "#!/bin/bash\nsrun " + OOMGUARD + " -- /usr/bin/python3 "
                + SIGNALS + "\n", Map.of(), "--mem=300M");
        slurm.awaitOutput(job, o -> o.contains("job: ready"), 120);
        slurm.scancel("--signal=TERM", Long.toString(job));
        slurm.awaitEnd(job, 120);
        String out = slurm.output(job);
        System.out.println("== Slurm job " + job + "\n" + out); // kept in target/failsafe-reports
        assertThat(out).contains("SIGTERM inside Slurm job " + job + ", step 0 (proctrack/linuxproc)",
                "not relayed a second time", "job: signals SIGTERM\n");
    }

    private static int countOf(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
