package dev.oomguard.kernellog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every real report in the fixtures yields the facts its README lists. */
class FixtureReportsTest {

    private static OomReport only(String fixture) {
        List<OomReport> reports = Fixtures.parse(fixture).reports();
        assertThat(reports).as(fixture).isNotEmpty();
        return reports.get(0);
    }

    @Test
    void seedGlobalOomWithTheRTable() {
        OomReport r = only("seed-000_c4b2ae9856aa1dc6.txt");
        assertThat(r.header().invoker()).isEqualTo("R");
        assertThat(r.header().gfpMask()).isEqualTo("0x24280ca");
        assertThat(r.selection()).isEqualTo(new Selection("Out of memory", 3026, "R", 649));
        KilledProcess k = r.victim().orElseThrow();
        assertThat(k.pid()).isEqualTo(3026);
        assertThat(k.comm()).isEqualTo("R");
        assertThat(k.anonRssKiB()).isEqualTo(8590380L);
        assertThat(k.totalVmKiB()).isEqualTo(14158732L);
        assertThat(r.memInfo().freeSwapKiB()).isZero();
        assertThat(r.memInfo().totalSwapKiB()).isEqualTo(4194300L);
        assertThat(r.memInfo().ramPages()).isEqualTo(3932061L);
        assertThat(r.memcgLimit()).isFalse();
        List<TaskRow> rs = r.tasks().stream().filter(t -> t.name().equals("R")).toList();
        assertThat(rs).extracting(TaskRow::pid).containsExactly(3026, 3041, 3050, 3059, 3068, 3077, 3086, 3095);
        assertThat(rs).extracting(TaskRow::rssPages)
                .containsExactly(2148000L, 216106L, 226319L, 229683L, 239210L, 243239L, 242549L, 218083L);
        assertThat(rs).extracting(TaskRow::swapPages)
                .containsExactly(1028165L, 1716L, 1800L, 1733L, 1715L, 1820L, 1874L, 1784L);
        assertThat(r.task(2964).orElseThrow().name()).isEqualTo("(sd-pam)");
        assertThat(r.time().bootSeconds()).contains(84123.046405);
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void ubuntu313Global() {
        OomReport r = only("01_3.13_global_meminfo.txt");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(1532);
        assertThat(r.victim().orElseThrow().comm()).isEqualTo("badsysprogram");
        assertThat(r.memInfo().totalSwapKiB()).isZero();
        assertThat(r.memInfo().ramPages()).isEqualTo(445340L);
        assertThat(r.memcgLimit()).isFalse();
        assertThat(r.time().wall()).isPresent();
    }

    @Test
    void ubuntu313Memcg() {
        OomReport r = only("02_3.13_memcg_v1.txt");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(13536);
        assertThat(r.victim().orElseThrow().comm()).isEqualTo("memorymonster");
        assertThat(r.memcgLimit()).isTrue();
        assertThat(r.memcg().cgroup()).contains("/mem2");
        assertThat(r.memcg().counter("memory").orElseThrow().limitKiB()).isEqualTo(980);
        assertThat(r.memcg().counter("memory+swap").orElseThrow().unlimited()).isTrue();
        assertThat(r.memcg().statBytes()).containsEntry("rss", 980L * 1024);
    }

    @Test
    void rhel6Global() {
        OomReport r = only("03_2.6.32-el6_global_meminfo.txt");
        KilledProcess k = r.victim().orElseThrow();
        assertThat(k.pid()).isEqualTo(40738);
        assertThat(k.comm()).isEqualTo("mysqld");
        assertThat(k.uid()).isEqualTo(27);
        assertThat(r.header().oomAdj()).isZero();
        assertThat(r.taskColumns()).contains("cpu", "oom_adj");
        assertThat(r.tasks()).hasSizeGreaterThan(700);
        assertThat(r.memInfo().totalSwapKiB()).isEqualTo(2097148L);
        assertThat(r.memcgLimit()).isFalse();
    }

    @Test
    void rhel810GlobalWithSyslogEscapes() {
        OomReport r = only("04_4.18-el8_global_meminfo.txt");
        KilledProcess k = r.victim().orElseThrow();
        assertThat(k.pid()).isEqualTo(3117813);
        assertThat(k.comm()).isEqualTo("cache-main");
        assertThat(r.header().invoker()).isEqualTo("in:imjournal");
        assertThat(r.constraint().taskMemcg()).isEqualTo("/system.slice/varnish.service");
        assertThat(r.constraint().kind()).isEqualTo("CONSTRAINT_NONE");
        assertThat(r.memInfo().pages("shmem")).contains(74232L); // from inside the #012-escaped record
        assertThat(r.memcgLimit()).isFalse();
    }

    @Test
    void debian11GlobalReaped() {
        OomReport r = only("05_5.10-debian11_global_meminfo_reaper.txt");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(517);
        assertThat(r.victim().orElseThrow().comm()).isEqualTo("clamd");
        assertThat(r.reaped()).extracting(ReaperEvent::pid).containsExactly(517);
        assertThat(r.header().invoker()).isEqualTo("f2b/f.postfix");
        assertThat(r.memInfo().totalSwapKiB()).isEqualTo(524284L);
    }

    @Test
    void ubuntu2004TwoPagefaultOoms() {
        List<OomReport> reports = Fixtures.parse("06_5.4-ubuntu20.04_global_pagefault_dmesgT_reaper.txt").reports();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).victim().orElseThrow().pid()).isEqualTo(3143527);
        assertThat(reports.get(0).victim().orElseThrow().comm()).isEqualTo("containerd-shim");
        assertThat(reports.get(1).victim().orElseThrow().pid()).isEqualTo(2296209);
        assertThat(reports.get(0).callbacksSuppressed()).isEqualTo(70);
        assertThat(reports.get(0).traceHint()).isEqualTo("pagefault_out_of_memory");
        assertThat(reports.get(0).header().gfpMask()).isEqualTo("0x0");
        assertThat(reports).allSatisfy(r -> assertThat(r.reaped()).hasSize(1));
        assertThat(reports.get(0).time().wall()).isPresent();
        assertThat(reports.get(0).time().wallExact()).isFalse();
    }

    @Test
    void rhel6MemcgSacrificedChild() {
        OomReport r = only("09_2.6.32-el6_memcg_docker.txt");
        assertThat(r.selection().pid()).isEqualTo(15947);
        assertThat(r.selection().comm()).isEqualTo("init");
        KilledProcess k = r.victim().orElseThrow();
        assertThat(k.pid()).isEqualTo(16944);
        assertThat(k.comm()).isEqualTo("mingetty");
        assertThat(k.uid()).isZero();
        assertThat(r.memcgLimit()).isTrue();
        assertThat(r.missing()).anyMatch(m -> m.startsWith("header"));
    }

    @Test
    void era310MemcgDocker() {
        OomReport r = only("10_3.10-era_memcg_docker_v1.txt");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(3897);
        assertThat(r.victim().orElseThrow().comm()).isEqualTo("stress");
        assertThat(r.memcgLimit()).isTrue();
        assertThat(r.memcg().cgroup().orElseThrow()).startsWith("/docker/555fa75e9e7d");
        assertThat(r.memcg().counter("memory").orElseThrow().limitKiB()).isEqualTo(1048576);
    }

    @Test
    void linux618PythonTree() {
        OomReport r = only("linux-6.18-memcg-v1-python-tree.txt");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(8149);
        assertThat(r.memcg().cgroup()).contains("/ogfix");
        assertThat(r.memcg().counter("memory").orElseThrow().limitKiB()).isEqualTo(200 * 1024);
        assertThat(r.tasks()).extracting(TaskRow::pid).contains(8149, 8190, 8191, 8192);
        assertThat(r.task(8149).orElseThrow().column("rss_anon")).isPresent();
        assertThat(r.memcgLimit()).isTrue();
    }

    @Test
    void linux618DevKmsgRecords() {
        OomReport r = only("linux-6.18-memcg-v1-devkmsg-raw.txt");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(9293);
        assertThat(r.memcg().cgroup()).contains("/ogfix2");
        assertThat(r.memcg().counter("memory").orElseThrow().limitKiB()).isEqualTo(96 * 1024);
        assertThat(r.memcg().statBytes()).containsEntry("rss", 100020224L);
        assertThat(r.time().firstSeq()).isEqualTo(501);
        assertThat(r.time().lastSeq()).isEqualTo(580);
    }

    @Test
    void linux618Slurm() {
        OomReport r = only("linux-6.18-memcg-v1-slurm-srun.txt");
        assertThat(r.victim().orElseThrow().pid()).isEqualTo(17279);
        assertThat(r.memcg().limitCgroup()).isEqualTo("/slurm_vm/uid_0/job_2");
        assertThat(r.memcg().taskCgroup()).isEqualTo("/slurm_vm/uid_0/job_2/step_0/task_0");
        assertThat(r.memcg().counter("memory").orElseThrow().limitKiB()).isEqualTo(65536);
    }
}
