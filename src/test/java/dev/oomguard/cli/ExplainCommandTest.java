package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.explain.SinceBootKills;
import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.kernellog.SourceUnavailableException;
import dev.oomguard.kernellog.StreamSource;
import dev.oomguard.proc.CgroupOomKills;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class ExplainCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    record Result(int status, String out, String err) {
    }

    static String fixture(String name) {
        try {
            return Path.of(ExplainCommandTest.class.getResource("/fixtures/kernel-logs/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Result main(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err), new Ending());
        return new Result(status, out.toString(), err.toString());
    }

    /** Runs explain with injected machine sources and stdin, through the same exception mapping. */
    static Result injected(List<KernelLogSource> sources, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Commands.create(new PrintWriter(out), new PrintWriter(err), new Ending());
        CommandLine explain = new CommandLine(new ExplainCommand(new Console(new PrintWriter(out), new PrintWriter(err),
                false), CLOCK, since -> sources, () -> new ByteArrayInputStream(stdin.getBytes())));
        explain.setOut(new PrintWriter(out));
        explain.setErr(new PrintWriter(err));
        explain.setExecutionExceptionHandler(cmd.getExecutionExceptionHandler());
        explain.setParameterExceptionHandler(cmd.getParameterExceptionHandler());
        int status = explain.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    static KernelLogSource denied(String name) {
        return new KernelLogSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean stampsFromThisBoot() {
                return true;
            }

            @Override
            public Reader open(Duration timeout) throws SourceUnavailableException {
                throw new SourceUnavailableException("permission denied (kernel.dmesg_restrict=1 allows only root/CAP_SYSLOG)");
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "explain --last 0        | 125 | --last must be at least 1",
        "explain --pid -3        | 125 | --pid must be a positive",
        "explain --since tomorrowish | 125 | --since: not a time",
        "explain --bogus         | 125 | Unknown option",
        "explain a b             | 125 | Unmatched argument",
        "explain /nonexistent/log | 125 | cannot read the log /nonexistent/log",
    })
    void badInputIsOneLineAnd125(String args, int status, String stderr) {
        Result r = main(args.trim().split("\\s+"));
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.err()).startsWith("oomguard: ").contains(stderr);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void explainsTheSeedFromAFile() {
        Result r = main("explain", "--file", fixture("seed-000_c4b2ae9856aa1dc6.txt"));
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("killed PID 3026 (R)", "whole machine ran out of memory", "at least 32 GiB",
                "Verdict: machine_oom, confidence high");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void newestFirstAndLast() {
        Result r = main("explain", fixture("06_5.4-ubuntu20.04_global_pagefault_dmesgT_reaper.txt"));
        assertThat(r.out().indexOf("PID 2296209")).isLessThan(r.out().indexOf("PID 3143527"));
        Result one = main("explain", "--last", "1", fixture("06_5.4-ubuntu20.04_global_pagefault_dmesgT_reaper.txt"));
        assertThat(one.out()).contains("PID 2296209").doesNotContain("killed PID 3143527");
    }

    @Test
    void pidAndSinceFilter() {
        Result none = main("explain", "--pid", "1", fixture("02_3.13_memcg_v1.txt"));
        assertThat(none.status()).isZero();
        // The log holds a report, just not about PID 1: never "No OOM kill found" then.
        assertThat(none.out()).startsWith("No OOM report in ").contains("matches for PID 1; it holds 1 OOM report about other");
        Result hit = main("explain", "--pid", "13536", fixture("02_3.13_memcg_v1.txt"));
        assertThat(hit.out()).contains("killed PID 13536 (memorymonster)");
        // syslog stamps carry no year: the clock's (2026) is assumed
        Result since = injected(List.of(), "", "--since", "2026-01-06", fixture("02_3.13_memcg_v1.txt"));
        assertThat(since.out()).startsWith("No OOM report in ").contains("since 2026-01-06");
    }

    @Test
    void jsonIsTheDocumentedSchema() throws Exception {
        Result r = main("explain", "--json", fixture("linux-6.18-memcg-v1-slurm-srun.txt"));
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("schema").asText()).isEqualTo("oomguard.explain/1");
        JsonNode k = root.get("kills").get(0);
        assertThat(k.get("verdict").asText()).isEqualTo("cgroup_limit");
        assertThat(k.get("report").get("cgroup").get("path").asText()).isEqualTo("/slurm_vm/uid_0/job_2");
        assertThat(k.get("report").get("cgroup").get("counters").get(0).get("limit_kib").asLong()).isEqualTo(65536);
        assertThat(k.get("report").get("cgroup").get("counters").get(1).get("limit_kib").isNull()).isTrue();
    }

    @Test
    void unreadableSourcesAreSaidAndTheNextIsUsed() {
        Result r = injected(List.of(denied("/dev/kmsg"), denied("dmesg"),
                StreamSource.file(Path.of(fixture("linux-6.18-memcg-v1-python-tree.txt")))), "");
        assertThat(r.status()).isZero();
        assertThat(r.err()).contains("oomguard: cannot read /dev/kmsg: permission denied (kernel.dmesg_restrict=1")
                .contains("oomguard: cannot read dmesg: permission denied").contains("trying the next source");
        assertThat(r.out()).contains("killed PID 8149 (python3)");
    }

    @Test
    void noReadableSourceIs77WithTheCountersAndTheFix() {
        SinceBootKills three = new SinceBootKills(3L, List.of(new CgroupOomKills.Count("/explain-x", 1,
                "memory.oom_control oom_kill")), true);
        Result r = blindRun(three, List.of(denied("/dev/kmsg"), denied("dmesg")));
        assertThat(r.status()).isEqualTo(ExplainCommand.LOG_UNREADABLE).isEqualTo(77);
        assertThat(r.out()).startsWith("Cannot see the kernel log")
                .contains("/dev/kmsg: permission denied (kernel.dmesg_restrict=1")
                .contains("The kernel has OOM-killed 3 processes since boot (/proc/vmstat oom_kill 3).")
                .contains("/explain-x (1)")
                .contains("run as root", "adm group", "systemd-journal group", "kernel.dmesg_restrict=0", "--file")
                .doesNotContain("No OOM kill found");
        assertThat(r.err()).contains("oomguard: cannot read dmesg: permission denied");

        Result none = blindRun(new SinceBootKills(0L, List.of(), true), List.of(denied("/dev/kmsg")), "--pid", "42");
        assertThat(none.status()).isEqualTo(77);
        assertThat(none.out()).contains("OOM-killed no process since boot").contains("Whether PID 42 was among them");
    }

    @Test
    void noReadableSourceInJson() throws Exception {
        Result r = blindRun(new SinceBootKills(2L, List.of(), true), List.of(denied("/dev/kmsg")), "--json");
        assertThat(r.status()).isEqualTo(77);
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("kernel_log_readable").asBoolean()).isFalse();
        assertThat(root.get("source").isNull()).isTrue();
        assertThat(root.get("counters").get("vmstat_oom_kill").asLong()).isEqualTo(2);
        assertThat(root.get("unreadable_sources").get(0).get("source").asText()).isEqualTo("/dev/kmsg");
        assertThat(root.get("kills")).isEmpty();
    }

    @Test
    void aFragmentIsAnOomEventNotNothing(@TempDir Path dir) throws Exception {
        // Only the header and the memory dump of a report: the kill line was rate-limited away.
        Path log = dir.resolve("fragment.txt");
        Files.writeString(log, String.join("\n",
                "[84122.100000] R invoked oom-killer: gfp_mask=0x24280ca, order=0, oom_score_adj=0",
                "[84122.100010] CPU: 3 PID: 3026 Comm: R Not tainted 4.4.0-1013-aws #22-Ubuntu",
                "[84122.100100] Mem-Info:",
                "[84122.100200] Free swap  = 0kB",
                "[84122.100210] Total swap = 4194300kB",
                "[84122.100220] 3932061 pages RAM",
                "[84122.100300] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name",
                "[84122.100400] [ 3026]  1000  3026  3288563  2147595    6356      16  1031474             0 R",
                "[84122.100410] [ 3100]  1000  3100   400000   200000     600      16    10000             0 R",
                "") + "\n");
        Result r = main("explain", log.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).doesNotContain("No OOM kill found")
                .contains("invoked by R (PID 3026)", "does not show what it killed", "whole machine ran out of memory")
                .contains("swap: 0.0 KiB free of 4.0 GiB").contains("Missing: kill line")
                .contains("confidence low");
    }

    private static Result blindRun(SinceBootKills counters, List<KernelLogSource> sources, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Commands.create(new PrintWriter(out), new PrintWriter(err), new Ending());
        CommandLine explain = new CommandLine(new ExplainCommand(new Console(new PrintWriter(out), new PrintWriter(err),
                false), CLOCK, since -> sources, () -> new ByteArrayInputStream(new byte[0]), () -> counters));
        explain.setExecutionExceptionHandler(cmd.getExecutionExceptionHandler());
        explain.setParameterExceptionHandler(cmd.getParameterExceptionHandler());
        int status = explain.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void stdinAndGzip(@TempDir Path dir) throws Exception {
        String seed = Files.readString(Path.of(fixture("seed-000_c4b2ae9856aa1dc6.txt")));
        assertThat(injected(List.of(), seed, "-").out()).contains("killed PID 3026 (R)");
        Path gz = dir.resolve("kern.log.1");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(seed.getBytes());
        }
        assertThat(main("explain", "--file", gz.toString()).out()).contains("killed PID 3026 (R)");
    }
}
