package dev.oomguard.kernellog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.explain.ReportExplainer;
import dev.oomguard.explain.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reports constructed from the format description, for generations the real fixtures miss. */
class SyntheticReportsTest {

    static List<OomReport> reports(String name) {
        try (InputStream in = SyntheticReportsTest.class.getResourceAsStream("/fixtures/synthetic/" + name)) {
            return Fixtures.parseText(new String(in.readAllBytes(), StandardCharsets.UTF_8)).reports();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OomReport one(String name) {
        List<OomReport> rs = reports(name);
        assertThat(rs).as(name).hasSize(1);
        return rs.get(0);
    }

    @Test
    void vanilla2632() {
        OomReport r = one("2.6.32-vanilla-or-a-child.txt");
        assertThat(r.header().oomAdj()).isZero();
        assertThat(r.header().oomScoreAdj()).isNull();
        assertThat(r.selection()).isEqualTo(new Selection("Out of memory", 4321, "java", 900000));
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(4321);
        assertThat(r.victim().orElseThrow().anonRssKiB()).isNull();
        assertThat(r.taskColumns()).containsExactly("uid", "tgid", "total_vm", "rss", "cpu", "oom_adj", "name");
        assertThat(r.task(4321).orElseThrow().rssPages()).isEqualTo(480000);
        assertThat(ReportExplainerAccess.verdict(r)).isEqualTo(Verdict.MACHINE_OOM);
    }

    @Test
    void symbolicGfp47() {
        OomReport r = one("4.7-symbolic-gfp.txt");
        assertThat(r.header().gfpMask()).isEqualTo("0x24201ca");
        assertThat(r.header().gfpFlags()).isEqualTo("GFP_HIGHUSER_MOVABLE|__GFP_COLD");
        assertThat(r.memInfo().pages("shmem")).contains(300L);
        assertThat(r.memInfo().pages("free")).contains(3000L);
        assertThat(r.victim().orElseThrow().shmemRssKiB()).isZero();
        assertThat(r.reaped()).hasSize(1);
        assertThat(r.task(5555).orElseThrow().column("nr_pmds")).contains(4L);
    }

    @Test
    void nodemask419Memcg() {
        OomReport r = one("4.19-nodemask-memcg-v1.txt");
        assertThat(r.header().nodemask()).isEqualTo("(null)");
        assertThat(r.header().gfpFlags()).isEqualTo("GFP_KERNEL");
        assertThat(r.cpuset()).isEqualTo("/");
        assertThat(r.memcgLimit()).isTrue();
        assertThat(r.memcg().counter("memory+swap").orElseThrow().limitKiB()).isEqualTo(1048576);
        assertThat(r.task(7000).orElseThrow().name()).isEqualTo("npm run"); // names may contain spaces
        assertThat(r.task(7001).orElseThrow().column("pgtables_bytes")).contains(1200000L);
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(7001);
    }

    @Test
    void cgroupV2Bytes68() {
        OomReport r = one("6.8-cgroup-v2-bytes.txt");
        assertThat(r.invokerPid()).isEqualTo(8001);
        assertThat(r.memcg().counter("swap").orElseThrow().limitKiB()).isZero();
        assertThat(r.memcg().statBytes()).containsEntry("anon", 2141384704L).containsEntry("file", 4096000L);
        assertThat(r.memcg().statsFor()).endsWith("run-u42.scope");
        assertThat(r.task(8001).orElseThrow().column("rss_anon")).contains(519000L);
        assertThat(r.task(8000).orElseThrow().column("oom_score_adj")).contains(200L);
        assertThat(r.victim().orElseThrow().oomScoreAdj()).isEqualTo(200);
        assertThat(r.constraint().oomMemcg()).endsWith("run-u42.scope");
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void oomGroupKillsSeveral() {
        OomReport r = one("oom-group.txt");
        assertThat(r.oomGroup()).isEqualTo("/system.slice/batch.service");
        assertThat(r.killed()).extracting(KilledProcess::pid).containsExactly(9002, 9001, 9003);
        assertThat(r.memcg().counter("swap")).isPresent();
        assertThat(r.time().wall()).contains(Instant.parse("2020-11-25T10:00:01Z"));
    }

    @Test
    void bareKillAfterSuppressedCallbacks() {
        OomReport r = one("callbacks-suppressed-bare-kill.txt");
        assertThat(r.callbacksSuppressed()).isEqualTo(12);
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(4242);
        assertThat(r.victim().orElseThrow().uid()).isEqualTo(1000);
        assertThat(r.header()).isNull();
        assertThat(r.missing()).anyMatch(m -> m.contains("12 callbacks suppressed"))
                .anyMatch(m -> m.startsWith("task table"));
        assertThat(ReportExplainerAccess.verdict(r)).isEqualTo(Verdict.KERNEL_OOM);
    }

    @Test
    void lateRhel7Uid() {
        OomReport r = one("rhel7-late-uid.txt");
        KilledProcess k = r.victim().orElseThrow();
        assertThat(k.pid()).isEqualTo(3030);
        assertThat(k.comm()).isEqualTo("java");
        assertThat(k.uid()).isEqualTo(1001);
        assertThat(k.anonRssKiB()).isEqualTo(15590000L);
        assertThat(k.shmemRssKiB()).isZero();
        assertThat(r.memInfo().ramPages()).isEqualTo(4194304L);
    }

    @Test
    void killedWithoutCommas52() {
        OomReport r = one("5.2-no-commas.txt");
        KilledProcess k = r.victim().orElseThrow();
        assertThat(k.anonRssKiB()).isEqualTo(950000L);
        assertThat(k.totalVmKiB()).isEqualTo(1000000L);
        assertThat(r.header().nodemask()).isEqualTo("(null)");
        assertThat(r.constraint().globalOom()).isTrue();
    }

    @Test
    void cpusetAndMempolicyConstraints() {
        assertThat(ReportExplainerAccess.verdict(one("cpuset-constraint.txt"))).isEqualTo(Verdict.CPUSET_CONSTRAINT);
        OomReport mpol = one("2.6.32-mpol-bind.txt");
        assertThat(mpol.mpolBind()).isTrue();
        assertThat(ReportExplainerAccess.verdict(mpol)).isEqualTo(Verdict.MEMPOLICY_CONSTRAINT);
    }

    @Test
    void journaldJsonWithSourceMonotonicTime() {
        OomReport r = one("journald.json");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(3131);
        assertThat(r.memcg().limitCgroup()).isEqualTo("/slurm/uid_1000/job_77");
        // wall = __REALTIME - (__MONOTONIC - _SOURCE_MONOTONIC): 1764064800.5 s - 0.5 s
        assertThat(r.time().firstWall()).isEqualTo(Instant.ofEpochSecond(1764064800L));
        assertThat(r.time().wallExact()).isTrue();
        assertThat(r.time().firstMonoMicros()).isEqualTo(100000000000L);
    }

    @Test
    void kmsgRecordsWithCallerEscapesAndDictionary() {
        OomReport r = one("kmsg-records.txt");
        assertThat(r.header().invoker()).isEqualTo("sort");
        assertThat(r.memInfo().pages("shmem")).contains(150000L); // inside a \x0a-escaped record
        assertThat(r.time().firstSeq()).isEqualTo(901);
        assertThat(r.time().lastSeq()).isEqualTo(908);
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(4040);
    }

    @Test
    void userspaceKillers() {
        ParsedLog log;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/synthetic/earlyoom-syslog.txt")) {
            log = Fixtures.parseText(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(log.reports()).isEmpty();
        assertThat(log.userspaceKills()).extracting(UserspaceKill::daemon).containsExactly("earlyoom", "systemd-oomd");
        assertThat(log.userspaceKills().get(0).pid()).isEqualTo(5151);
        assertThat(log.userspaceKills().get(0).target()).isEqualTo("R");
        assertThat(log.userspaceKills().get(1).target()).endsWith("app-job.scope");
    }

    @Test
    void truncatedAtBothEndsAndMidLine() {
        OomReport r = one("truncated-both-ends.txt");
        assertThat(r.header()).isNull();
        assertThat(r.task(1111).orElseThrow().complete()).isTrue();
        assertThat(r.task(1112).orElseThrow().complete()).isFalse();
        assertThat(r.task(1112).orElseThrow().column("total_vm")).contains(400000L);
        KilledProcess k = r.victim().orElseThrow();
        assertThat(k.pid()).isEqualTo(1111);
        assertThat(k.totalVmKiB()).isEqualTo(1600000L);
        assertThat(r.missing()).anyMatch(m -> m.startsWith("header")).anyMatch(m -> m.contains("cut short"));
    }

    @Test
    void cgroupShmemIsReported() {
        OomReport r = one("memcg-shmem.txt");
        dev.oomguard.explain.Explanation e = new ReportExplainer(java.time.ZoneOffset.UTC, 4).explain(r);
        assertThat(e.summary()).contains("systemd unit etl.service", "512.0 MiB of 512.0 MiB");
        assertThat(e.details()).anyMatch(d -> d.contains("400.0 MiB of the cgroup's charge is tmpfs or /dev/shm"));
        assertThat(e.advice()).anyMatch(a -> a.contains("MemoryMax="));
    }

    @Test
    void outOfRangeNumbersKeepTheKill() {
        OomReport r = Fixtures.parseText("Out of memory: Killed process 77 (x) total-vm:99999999999999999999kB, "
                + "anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:4294967295 pgtables:0kB oom_score_adj:-99999\n")
                .reports().get(0);
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(77);
        assertThat(r.victim().orElseThrow().anonRssKiB()).isEqualTo(1L);
        assertThat(r.victim().orElseThrow().oomScoreAdj()).isEqualTo(-1000);
    }

    /** The verdict rule is package-private in explain; reached through the public explainer. */
    static final class ReportExplainerAccess {
        static Verdict verdict(OomReport r) {
            return new ReportExplainer(java.time.ZoneOffset.UTC, 4).explain(r).verdict();
        }
    }
}
