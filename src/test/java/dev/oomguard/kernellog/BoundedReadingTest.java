package dev.oomguard.kernellog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log of any size is read in bounded memory: the newest reports are kept, the rest counted. */
class BoundedReadingTest {
    private static String kills(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("[%d.000000] Memory cgroup out of memory: Killed process %d (python3) "
                    + "total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0%n",
                    100 + i, 1000 + i));
        }
        return sb.toString();
    }

    private static ParsedLog read(String text, ReportRetention r) throws IOException {
        return new KernelLogReader(ZoneOffset.UTC, 2026).read(new StringReader(text), r);
    }

    @Test
    void keepsTheNewestAndCountsAll() throws IOException {
        ParsedLog log = read(kills(500), new ReportRetention(20, 1L << 30, r -> true, 10));
        assertThat(log.reportsFound()).isEqualTo(500);
        assertThat(log.reportsWanted()).isEqualTo(500);
        assertThat(log.reportsDropped()).isEqualTo(480);
        assertThat(log.reports()).hasSize(20);
        assertThat(log.reports().get(19).victim().orElseThrow().pid()).isEqualTo(1499);
        assertThat(log.reports().get(0).victim().orElseThrow().pid()).isEqualTo(1480);
    }

    @Test
    void theSizeBudgetBoundsWhatIsKeptButNeverTheNewest() throws IOException {
        ParsedLog log = read(kills(500), new ReportRetention(1000, 1, r -> true, 10));
        assertThat(log.reports()).hasSize(1);
        assertThat(log.reports().get(0).victim().orElseThrow().pid()).isEqualTo(1499);
        assertThat(log.reportsDropped()).isEqualTo(499);
    }

    @Test
    void unwantedReportsAreCountedNotKept() throws IOException {
        ParsedLog log = read(kills(500), ReportRetention.DEFAULT.wanting(r -> r.names(1007)));
        assertThat(log.reportsFound()).isEqualTo(500);
        assertThat(log.reportsWanted()).isEqualTo(1);
        assertThat(log.reports()).singleElement().satisfies(r -> assertThat(r.victim().orElseThrow().pid()).isEqualTo(1007));
    }

    @Test
    void aHugeTaskTableIsCutAndSaysSo() throws IOException {
        StringBuilder sb = new StringBuilder("[1.0] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n");
        sb.append("[1.0] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
        int rows = ReportBuilder.MAX_TASK_ROWS + 5;
        for (int i = 0; i < rows; i++) {
            sb.append(String.format("[1.0] [%7d]     0 %5d    100    50    4096        0             0 w%n", i + 1, i + 1));
        }
        sb.append("[1.0] Killed process 1 (w) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n");
        OomReport r = read(sb.toString(), ReportRetention.DEFAULT).reports().get(0);
        assertThat(r.tasks()).hasSize(ReportBuilder.MAX_TASK_ROWS);
        assertThat(r.missing()).anyMatch(m -> m.startsWith("5 task-table rows beyond the first"));
    }

    @Test
    void aJournalThatShowsNothingIsBlindNotEmpty() {
        CommandSource journal = new CommandSource("journalctl -k", List.of("sh", "-c", "echo 'No journal files were found.' >&2"),
                false, true, null);
        assertThatThrownBy(() -> journal.open(Duration.ofSeconds(20)))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("shows no kernel messages at all (No journal files were found.)")
                .hasMessageContaining("adm/systemd-journal");
        CommandSource hinted = new CommandSource("journalctl -k", List.of("sh", "-c",
                "echo 'Hint: You are currently not seeing messages from other users and the system.' >&2"), false, true, null);
        assertThatThrownBy(() -> hinted.open(Duration.ofSeconds(20))).hasMessageContaining("join the adm or systemd-journal group");
    }

    @Test
    void nothingSinceATimeIsNothingWhenTheJournalHasEntries() throws Exception {
        CommandSource narrowed = new CommandSource("journalctl -k", List.of("true"), false, true,
                List.of("echo", "{\"MESSAGE\":\"x\"}"));
        try (Reader in = narrowed.open(Duration.ofSeconds(20))) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aCommandsOutputIsStreamed() throws Exception {
        CommandSource many = new CommandSource("gen", List.of("sh", "-c",
                "i=0; while [ $i -lt 20000 ]; do echo \"[$i.0] line $i\"; i=$((i+1)); done"), false);
        long lines = 0;
        try (BufferedReader in = new BufferedReader(many.open(Duration.ofSeconds(30)))) {
            while (in.readLine() != null) {
                lines++;
            }
        }
        assertThat(lines).isEqualTo(20000);
        CommandSource failing = new CommandSource("dmesg", List.of("sh", "-c",
                "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2; exit 1"), true);
        assertThatThrownBy(() -> failing.open(Duration.ofSeconds(20))).hasMessageContaining("permission denied")
                .hasMessageContaining("dmesg_restrict");
    }
}
