package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.kernellog.Fixtures;
import dev.oomguard.kernellog.OomReport;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportExplainerTest {
    private final ReportExplainer explainer = new ReportExplainer(ZoneOffset.UTC, 4);

    private static OomReport first(String fixture) {
        return Fixtures.parse(fixture).reports().get(0);
    }

    @Test
    void seedIsAMachineWideOomWithNumbers() {
        Explanation e = explainer.explain(first("seed-000_c4b2ae9856aa1dc6.txt"));
        assertThat(e.verdict()).isEqualTo(Verdict.MACHINE_OOM);
        assertThat(e.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(e.pid()).isEqualTo(3026);
        assertThat(e.summary()).contains("killed PID 3026 (R)", "whole machine ran out of memory",
                "15.0 GiB RAM", "4.0 GiB swap", "`Free swap = 0kB`", "84123.046 s after boot");
        String details = String.join("\n", e.details());
        // 3763189 pages rss = 14.4 GiB; 1040607 pages swap = 4.0 GiB; (rss+swap)/(RAM+swap) = 96.4%
        assertThat(details).contains("The job's 8 R processes held 14.4 GiB resident", "+ 4.0 GiB swapped",
                "about 96% of RAM + swap", "the master (PID 3026) alone 8.2 GiB resident and 3.9 GiB swapped",
                "Each of the 7 workers held about 0.8–0.9 GiB resident");
        String advice = String.join("\n", e.advice());
        assertThat(advice).contains("needs more than the 19 GiB it had", "at least 32 GiB", "more swap",
                "fewer workers");
        assertThat(e.evidence()).contains("Free swap  = 0kB", "Total swap = 4194300kB", "3932061 pages RAM",
                "Out of memory: Kill process 3026 (R) score 649 or sacrifice child",
                "Killed process 3026 (R) total-vm:14158732kB, anon-rss:8590380kB, file-rss:1620kB");
        assertThat(e.evidence()).filteredOn(l -> l.endsWith(" R") && l.startsWith("[")).hasSize(8);
        assertThat(e.job().rssKiB()).isEqualTo(3763189L * 4);
        assertThat(e.job().swapKiB()).isEqualTo(1040607L * 4);
    }

    @Test
    void slurmCgroupAdviceNamesTheJobAndMem() {
        Explanation e = explainer.explain(first("linux-6.18-memcg-v1-slurm-srun.txt"));
        assertThat(e.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(e.summary()).contains("Slurm job 2 exceeded its memory allocation of 64M (--mem)",
                "/slurm_vm/uid_0/job_2", "64.0 MiB of 64.0 MiB", "failcnt 1110");
        assertThat(e.advice()).contains("To finish, Slurm job 2 needs more than its 64M allocation.");
        assertThat(e.advice()).anyMatch(a -> a.contains("sbatch --mem=96M (it had --mem=64M"));
    }

    @Test
    void dockerCgroupNamesTheContainer() {
        Explanation e = explainer.explain(first("10_3.10-era_memcg_docker_v1.txt"));
        assertThat(e.summary()).contains("container 555fa75e9e7d");
        assertThat(e.advice()).anyMatch(a -> a.contains("docker run --memory="));
        assertThat(e.confidence()).isEqualTo(Confidence.MEDIUM); // header lost
    }

    @Test
    void systemdUnitAndBystanderVictim() {
        Explanation e = explainer.explain(first("03_2.6.32-el6_global_meminfo.txt"));
        assertThat(e.details()).anyMatch(d -> d.contains("largest users") && d.contains("php-fpm (458 processes"));
        assertThat(e.advice()).anyMatch(a -> a.contains("not the main user"));
        Explanation varnish = explainer.explain(first("04_4.18-el8_global_meminfo.txt"));
        assertThat(varnish.verdict()).isEqualTo(Verdict.MACHINE_OOM);
    }

    @Test
    void sacrificedChildIsSaid() {
        Explanation e = explainer.explain(first("09_2.6.32-el6_memcg_docker.txt"));
        assertThat(e.pid()).isEqualTo(16944);
        assertThat(e.details()).anyMatch(d -> d.contains("selected PID 15947 (init") && d.contains("child PID 16944"));
    }

    @Test
    void hugetlbIsReportedWhenItMatters() {
        Explanation e = explainer.explain(first("05_5.10-debian11_global_meminfo_reaper.txt"));
        assertThat(e.details()).anyMatch(d -> d.contains("2.0 GiB is reserved in hugetlb pools"));
        assertThat(e.details()).anyMatch(d -> d.startsWith("oom_reaper reaped PID 517"));
    }

    @Test
    void knownPidsChooseTheJobRows() {
        Explanation e = explainer.explain(first("linux-6.18-memcg-v1-python-tree.txt"), Set.of(8190, 8191));
        assertThat(e.job().rows()).extracting(r -> r.pid()).containsExactly(8190, 8191);
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        Explanation e = explainer.explain(first("seed-000_c4b2ae9856aa1dc6.txt"));
        String json = new ExplanationJson(4).render("seed", List.of(), List.of(e));
        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.get("schema").asText()).isEqualTo("oomguard.explain/1");
        JsonNode k = root.get("kills").get(0);
        assertThat(k.get("verdict").asText()).isEqualTo("machine_oom");
        assertThat(k.get("confidence").asText()).isEqualTo("high");
        assertThat(k.get("pid").asInt()).isEqualTo(3026);
        JsonNode r = k.get("report");
        assertThat(r.get("selected").get("score").asLong()).isEqualTo(649);
        assertThat(r.get("killed").get(0).get("anon_rss_kib").asLong()).isEqualTo(8590380);
        assertThat(r.get("killed").get(0).get("total_vm_kib").asLong()).isEqualTo(14158732);
        assertThat(r.get("memory").get("free_swap_kib").asLong()).isZero();
        assertThat(r.get("memory").get("total_swap_kib").asLong()).isEqualTo(4194300);
        assertThat(r.get("memory").get("ram_kib").asLong()).isEqualTo(3932061L * 4);
        assertThat(r.get("time").get("boot_seconds").asDouble()).isEqualTo(84123.046405);
        assertThat(r.get("time").get("wall_basis").asText()).isEqualTo("unknown");
        assertThat(k.get("job").get("processes")).hasSize(8);
        assertThat(k.get("job").get("processes").get(0).get("swap_kib").asLong()).isEqualTo(1028165L * 4);
        assertThat(k.get("advice")).isNotEmpty();
    }
}
