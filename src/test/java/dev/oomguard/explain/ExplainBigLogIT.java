package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.testing.Oomguard;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --file} on logs far larger than the guard's heap (the launcher runs the JVM with
 * -Xmx24m): 100 MB of 50,000 complete memory-cgroup reports, 12 MB of kill lines (30,000 kills) and
 * 14 MB of bare "invoked oom-killer" lines. Each completes, in bounded memory, says how many reports
 * it found and shows the newest; --json of all of them stays bounded too. The logs are generated in a
 * temporary directory (the report layout is the 6.18 memcg v1 one of the real fixtures).
 */
class ExplainBigLogIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes lines with a printk stamp that grows by 137 µs each. */
    private static final class Log implements AutoCloseable {
        private final BufferedWriter out;
        private long micros = 100_000_000;

        Log(Path file) throws IOException {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        void line(String text) throws IOException {
            micros += 137;
            out.write(String.format(Locale.ROOT, "[%6d.%06d] %s%n", micros / 1_000_000, micros % 1_000_000, text));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static void fullReport(Log log, int i) throws IOException {
        int pid = 1000 + i;
        log.line("python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        log.line("CPU: 1 UID: 0 PID: " + pid + " Comm: python3 Not tainted 6.18.44-fc-v657 #1 PREEMPT(none)");
        log.line("Call Trace:");
        log.line(" <TASK>");
        log.line(" dump_stack_lvl+0x57/0x80");
        log.line(" dump_header+0x43/0x1c0");
        log.line(" oom_kill_process.cold+0x8/0x8a");
        log.line(" out_of_memory+0x214/0x500");
        log.line(" mem_cgroup_out_of_memory+0xc0/0x110");
        log.line(" </TASK>");
        log.line("memory: usage 65536kB, limit 65536kB, failcnt 845");
        log.line("memory+swap: usage 65536kB, limit 9007199254740988kB, failcnt 0");
        log.line("kmem: usage 976kB, limit 9007199254740988kB, failcnt 0");
        log.line("Memory cgroup stats for /job" + i + ":");
        for (String stat : new String[] {"cache 106496", "rss 66060288", "rss_huge 0", "shmem 0", "mapped_file 0",
            "swap 0", "pgpgin 54809", "pgpgout 3853", "inactive_anon 66056192", "active_anon 4096"}) {
            log.line(stat);
        }
        log.line("Tasks state (memory values in pages):");
        log.line("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name");
        for (int j = 0; j < 4; j++) {
            log.line(String.format(Locale.ROOT, "[%7d]     0 %7d    12345     4000     3800      200         0   200704        0             0 python3",
                    pid + j, pid + j));
        }
        log.line("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/job" + i
                + ",task_memcg=/job" + i + ",task=python3,pid=" + pid + ",uid=0");
        log.line("Memory cgroup out of memory: Killed process " + pid + " (python3) total-vm:49380kB, anon-rss:15200kB, "
                + "file-rss:800kB, shmem-rss:0kB, UID:0 pgtables:196kB oom_score_adj:0");
    }

    private static Oomguard.Result explain(String... args) {
        return Oomguard.create().timeoutSeconds(600).run(args);
    }

    private static void assertCompleted(Oomguard.Result r) {
        assertThat(r.stderr()).doesNotContain("OutOfMemoryError").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.status()).as(r.stderr()).isZero();
    }

    @Test
    void aHundredMegabytesOfFiftyThousandReports(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kern-100M.log");
        try (Log log = new Log(file)) {
            for (int i = 0; i < 50_000; i++) {
                fullReport(log, i);
            }
        }
        assertThat(Files.size(file)).isGreaterThan(100_000_000L);
        Oomguard.Result r = explain("explain", "--file", file.toString());
        assertCompleted(r);
        assertThat(r.out()).contains("killed PID 50999 (python3)", "Verdict: cgroup_limit, confidence high")
                .contains("(read from " + file + ": 50000 OOM reports; the newest 10 shown)");
    }

    @Test
    void twelveMegabytesOfKillLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kills.log");
        try (Log log = new Log(file)) {
            for (int i = 0; i < 30_000; i++) {
                int pid = 1000 + i;
                String cg = "/slurm/uid_1000/job_" + i + "/step_batch/task_0";
                log.line("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=" + cg
                        + ",task_memcg=" + cg + ",task=python3,pid=" + pid + ",uid=1000");
                log.line("Memory cgroup out of memory: Killed process " + pid + " (python3) total-vm:1234567kB, "
                        + "anon-rss:654321kB, file-rss:1234kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:0");
            }
        }
        assertThat(Files.size(file)).isGreaterThan(12_000_000L);
        Oomguard.Result r = explain("explain", "--file", file.toString());
        assertCompleted(r);
        assertThat(r.out()).contains("killed PID 30999 (python3)")
                .contains("(read from " + file + ": 30000 OOM reports; the newest 10 shown)");

        // All of them as JSON: written kill by kill; what is kept is bounded, and the rest counted.
        Oomguard.Result json = explain("explain", "--json", "--last", "1000000", "--file", file.toString());
        assertCompleted(json);
        JsonNode doc = JSON.readTree(json.stdout());
        assertThat(doc.get("reports_found").asLong()).isEqualTo(30_000);
        long notKept = doc.get("reports_not_kept").asLong();
        assertThat(notKept).isPositive();
        assertThat(doc.get("kills").size()).isEqualTo(30_000 - notKept).isLessThanOrEqualTo(2000);
        assertThat(doc.get("kills").get(0).get("pid").asInt()).isEqualTo(30_999);
    }

    @Test
    void fourteenMegabytesOfInvokedLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("invoked.log");
        int n = 150_000;
        try (Log log = new Log(file)) {
            for (int i = 0; i < n; i++) {
                log.line("python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
            }
        }
        assertThat(Files.size(file)).isGreaterThan(14_000_000L);
        Oomguard.Result r = explain("explain", "--file", file.toString());
        assertCompleted(r);
        // Headers only: OOM events without their kill lines, never "No OOM kill found".
        assertThat(r.out()).doesNotContain("No OOM kill found")
                .contains("The kernel OOM killer was invoked by python3", "does not show what it killed")
                .contains("Missing: kill line")
                .contains("(read from " + file + ": " + n + " OOM reports; the newest 10 shown)");
    }
}
