package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.PidStat;
import dev.oomguard.watch.ProcessMatcher.Candidate;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How {@code watch --name} picks the job, on the seed's process table. */
class ProcessMatcherTest {
    /** The seed's machine: screen, bash, the R master 3026 and its seven forked workers; oomguard run from another bash. */
    private static final List<Candidate> SEED = List.of(
            new Candidate(1, 0, "systemd", "/sbin/init"),
            new Candidate(2, 0, "kthreadd", ""),
            new Candidate(3014, 1, "screen", "SCREEN -S fit"),
            new Candidate(3015, 3014, "bash", "/bin/bash"),
            new Candidate(3026, 3015, "R", "/usr/lib/R/bin/exec/R --no-echo --no-restore --file=fit.R"),
            new Candidate(3041, 3026, "R", "/usr/lib/R/bin/exec/R --no-echo --no-restore --file=fit.R"),
            new Candidate(3050, 3026, "R", "/usr/lib/R/bin/exec/R --no-echo --no-restore --file=fit.R"),
            new Candidate(3095, 3026, "R", "/usr/lib/R/bin/exec/R --no-echo --no-restore --file=fit.R"),
            new Candidate(4000, 1, "sshd", "sshd: me@pts/1"),
            new Candidate(4001, 4000, "bash", "-bash"),
            new Candidate(4100, 4001, "java", "java -jar oomguard.jar watch --name fit.R"));

    private static final Set<Integer> OURS = ProcessMatcher.selfAndAncestors(4100, SEED);

    @Test
    void oomguardAndItsCallersAreLeftOut() {
        assertThat(OURS).containsExactlyInAnyOrder(4100, 4001, 4000, 1);
    }

    @Test
    void forkedWorkersUnderTheMatchingMasterCountAsItsTree() {
        assertThat(ProcessMatcher.match(Pattern.compile("fit\\.R"), SEED, OURS)).extracting(Candidate::pid)
                .containsExactly(3026);
    }

    @Test
    void theCommandNameMatchesToo() {
        assertThat(ProcessMatcher.match(Pattern.compile("^R$"), SEED, OURS)).extracting(Candidate::pid)
                .containsExactly(3026);
        assertThat(ProcessMatcher.match(Pattern.compile("screen|SCREEN"), SEED, OURS)).extracting(Candidate::pid)
                .as("the screen session holds the job: its tree is the whole session").containsExactly(3014);
    }

    @Test
    void kernelThreadsAreNeverJobs() {
        assertThat(ProcessMatcher.match(Pattern.compile("kthread"), SEED, OURS)).isEmpty();
    }

    @Test
    void severalUnrelatedMatchesAreListedInOneLine() {
        List<Candidate> m = ProcessMatcher.match(Pattern.compile("bash"), SEED, OURS);
        assertThat(m).extracting(Candidate::pid).containsExactly(3015);
        List<Candidate> two = ProcessMatcher.match(Pattern.compile("bash|sshd"), SEED, Set.of(4100));
        assertThat(two).extracting(Candidate::pid).containsExactly(3015, 4000);
        String problem = ProcessMatcher.problem("bash|sshd", two);
        assertThat(problem).isEqualTo("--name 'bash|sshd' matches 2 processes: 3015 (/bin/bash), 4000 (sshd:"
                + " me@pts/1); make the pattern narrower or give --pid").doesNotContain("\n");
    }

    @Test
    void noMatchSaysWhereToLook() {
        assertThat(ProcessMatcher.problem("nope", List.of())).startsWith("--name 'nope' matches no process")
                .contains("ps -eo pid,args");
    }

    @Test
    void aParentLoopDoesNotHang() {
        List<Candidate> loop = List.of(new Candidate(10, 11, "a", "job"), new Candidate(11, 10, "b", "job"));
        assertThat(ProcessMatcher.match(Pattern.compile("job"), loop, Set.of())).isEmpty();
        assertThat(ProcessMatcher.selfAndAncestors(10, loop)).containsExactlyInAnyOrder(10, 11);
    }

    @Test
    void theGroupIsSignalledOnlyWhenTheJobLeadsItAlone() {
        WatchedProcess leader = new WatchedProcess(100, 5, "R", "R", 1000, 100, 50);
        PidStat shell = new PidStat(50, "bash", 'S', 1, 50, 1, 1, 0);
        PidStat main = new PidStat(100, "R", 'S', 50, 100, 5, 1, 0);
        PidStat worker = new PidStat(101, "R", 'S', 100, 100, 6, 1, 0);
        PidStat stranger = new PidStat(102, "tee", 'S', 50, 100, 7, 1, 0);
        assertThat(TreeSignals.target(leader, List.of(shell, main, worker), List.of(main, worker)))
                .isEqualTo(TreeSignals.Target.GROUP);
        assertThat(TreeSignals.target(leader, List.of(shell, main, worker, stranger), List.of(main, worker)))
                .as("a pipeline partner shares the group").isEqualTo(TreeSignals.Target.EACH_PROCESS);
        WatchedProcess inShellsGroup = new WatchedProcess(100, 5, "R", "R", 1000, 50, 50);
        assertThat(TreeSignals.target(inShellsGroup, List.of(shell, main), List.of(main)))
                .as("started by a script: the group is the script's").isEqualTo(TreeSignals.Target.EACH_PROCESS);
    }

    @Test
    void statusAndCmdlineFieldsAreRead() {
        assertThat(WatchedProcess.joinArgs("Rscript\0fit.R\0--cores\08\0")).isEqualTo("Rscript fit.R --cores 8");
        assertThat(WatchedProcess.realUid("Name:\tR\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\n")).isEqualTo(1000);
        assertThat(WatchedProcess.realUid("Name:\tR\n")).isEqualTo(-1);
        assertThat(new WatchedProcess(7, 1, "kworker", "", 0, 0, 2).display()).isEqualTo("[kworker]");
    }
}
