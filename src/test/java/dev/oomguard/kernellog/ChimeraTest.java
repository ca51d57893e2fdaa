package dev.oomguard.kernellog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.explain.Confidence;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.ReportExplainer;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two real reports from different machines pasted into one log must stay two reports: a report is
 * one invocation on one clock of one machine. The logs here are cut and joined from the real
 * fixtures in code (nothing invented): the first report's start, then the rest of the other's.
 */
class ChimeraTest {
    private static final String TREE = "linux-6.18-memcg-v1-python-tree.txt";   // PID 8149, [ 327.6]
    private static final String SLURM = "linux-6.18-memcg-v1-slurm-srun.txt";  // PID 17279, [ 907.0]

    private static List<String> lines(String fixture) {
        return Fixtures.text(fixture).lines().filter(l -> !l.startsWith("#")).toList();
    }

    /** The lines of {@code fixture} before the first one that contains {@code marker}. */
    private static List<String> before(String fixture, String marker) {
        List<String> all = lines(fixture);
        int at = indexOf(all, marker);
        return all.subList(0, at);
    }

    /** The lines of {@code fixture} from the first one that contains {@code marker}. */
    private static List<String> from(String fixture, String marker) {
        List<String> all = lines(fixture);
        return all.subList(indexOf(all, marker), all.size());
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no line with " + marker);
    }

    private static String join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return String.join("\n", all) + "\n";
    }

    private static String bare(List<String> lines, int i) {
        return lines.get(i).replaceFirst("^\\[\\s*\\d+\\.\\d+\\] ", "");
    }

    @Test
    void aCutReportAndAnotherMachinesRestOnALaterClockStayTwo() {
        // The tree report up to its memory block (header, CPU line, trace), then the Slurm machine's report
        // from its memory block to its kill, 580 s later on its own clock.
        ParsedLog log = Fixtures.parseText(join(before(TREE, "memory: usage"), from(SLURM, "memory: usage")));
        assertTwoApart(log);
    }

    @Test
    void aClockThatGoesBackIsAnotherReport() {
        // The Slurm report's start (907 s), then the tree report's rest (327 s): the clock goes back.
        ParsedLog log = Fixtures.parseText(join(before(SLURM, "memory: usage"), from(TREE, "memory: usage")));
        assertThat(log.reports()).hasSize(2);
        OomReport first = log.reports().get(0);
        OomReport second = log.reports().get(1);
        assertThat(first.invokerPid()).isEqualTo(17279);
        assertThat(first.victim()).isEmpty();
        assertThat(second.header()).isNull();
        assertThat(second.victim().orElseThrow().pid()).isEqualTo(8149);
        assertThat(second.memcg().cgroup()).contains("/ogfix");
    }

    @Test
    void withoutStampsASecondMemoryBlockIsASecondInvocation() {
        // Bare text, no clock at all: the tree report up to and with its memory counters, then the
        // Slurm report from its memory counters on. One report has one memory block.
        List<String> tree = lines(TREE);
        List<String> slurm = lines(SLURM);
        int cut = indexOf(tree, "Memory cgroup stats for");
        int resume = indexOf(slurm, "memory: usage");
        List<String> text = new ArrayList<>();
        for (int i = 0; i < cut; i++) {
            text.add(bare(tree, i));
        }
        for (int i = resume; i < slurm.size(); i++) {
            text.add(bare(slurm, i));
        }
        ParsedLog log = Fixtures.parseText(String.join("\n", text) + "\n");
        assertTwoApart(log);
        assertThat(log.reports().get(0).memcg().counters()).extracting(MemcgCounter::limitKiB).contains(204800L);
        assertThat(log.reports().get(1).memcg().cgroup()).contains("/slurm_vm/uid_0/job_2");
    }

    @Test
    void twoHostsInterleavedLineByLineNeverMix() {
        // Syslog from two machines (localhost: 3.13, PID 1532 killed; new-db1: 2.6.32, PID 40738 killed),
        // pasted alternately line by line.
        List<String> a = lines("01_3.13_global_meminfo.txt");
        List<String> b = lines("03_2.6.32-el6_global_meminfo.txt");
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                mixed.add(a.get(i));
            }
            if (i < b.size()) {
                mixed.add(b.get(i));
            }
        }
        ParsedLog log = Fixtures.parseText(String.join("\n", mixed) + "\n");
        Set<String> textA = texts(a);
        Set<String> textB = texts(b);
        assertThat(log.reports()).isNotEmpty();
        for (OomReport r : log.reports()) {
            Predicate<String> inA = textA::contains;
            Predicate<String> inB = textB::contains;
            boolean allA = r.evidence().stream().allMatch(inA);
            boolean allB = r.evidence().stream().allMatch(inB);
            assertThat(allA || allB).as("one machine's lines only: %s", r.evidence()).isTrue();
            r.victim().ifPresent(v -> assertThat(v.pid()).isIn(1532, 40738));
            if (r.header() != null && r.victim().isPresent()) {
                assertThat(r.header().invoker() + "->" + r.victim().get().pid())
                        .isIn("badsysprogram->1532", "php-fpm->40738");
            }
        }
        assertThat(log.reports()).anyMatch(r -> r.victim().map(v -> v.pid() == 1532).orElse(false));
        assertThat(log.reports()).anyMatch(r -> r.victim().map(v -> v.pid() == 40738).orElse(false));
    }

    /** The message texts of syslog lines (what a report quotes as evidence). */
    private static Set<String> texts(List<String> syslog) {
        return syslog.stream().map(l -> l.replaceFirst("^.*? kernel: (\\[\\s*\\d+\\.\\d+\\] )?", ""))
                .collect(Collectors.toSet());
    }

    /** The first report is the tree's start without a kill, the second the Slurm kill without a header. */
    private static void assertTwoApart(ParsedLog log) {
        assertThat(log.reports()).hasSize(2);
        OomReport start = log.reports().get(0);
        OomReport rest = log.reports().get(1);
        assertThat(start.invokerPid()).isEqualTo(8149);
        assertThat(start.victim()).isEmpty();
        assertThat(rest.victim().orElseThrow().pid()).isEqualTo(17279);
        assertThat(rest.header()).isNull();
        ReportExplainer explainer = new ReportExplainer(ZoneOffset.UTC, 4);
        for (OomReport r : log.reports()) {
            Explanation e = explainer.explain(r);
            assertThat(e.confidence()).as(e.summary()).isNotEqualTo(Confidence.HIGH);
        }
        assertThat(explainer.explain(start).summary()).contains("invoked by python3 (PID 8149)")
                .contains("does not show what it killed");
    }
}
