package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.PidStat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeSelectorTest {
    private static PidStat p(int pid, int ppid, int pgrp, long start) {
        return new PidStat(pid, "p" + pid, 'S', ppid, pgrp, start, 10, 0);
    }

    private static List<Integer> pids(List<PidStat> members) {
        return members.stream().map(PidStat::pid).toList();
    }

    @Test
    void descendantsAtAnyDepth() {
        var scan = List.of(p(1, 0, 1, 0), p(100, 1, 100, 10), p(200, 100, 200, 20), p(201, 200, 200, 21),
                p(202, 201, 200, 22), p(300, 1, 300, 30));
        assertThat(pids(TreeSelector.select(scan, TreeSpec.of(200), Map.of()))).containsExactlyInAnyOrder(200, 201, 202);
    }

    @Test
    void orphansAdoptedByTheSupervisorStayButItsOwnHelpersDoNot() {
        // supervisor 100 (pgrp 100) spawned job 200 in its own group; 250 is an orphan of the job,
        // 150 is the supervisor's own helper (same group as the supervisor).
        var scan = List.of(p(100, 1, 100, 10), p(200, 100, 200, 20), p(250, 100, 200, 25), p(251, 250, 200, 26),
                p(150, 100, 100, 15));
        assertThat(pids(TreeSelector.select(scan, TreeSpec.of(200).adoptedBy(100), Map.of())))
                .containsExactlyInAnyOrder(200, 250, 251);
        assertThat(pids(TreeSelector.select(scan, TreeSpec.of(200), Map.of()))).containsExactly(200);
    }

    @Test
    void aReusedRootPidIsNotTheJob() {
        var scan = List.of(p(200, 1, 200, 999), p(201, 200, 200, 1000));
        assertThat(TreeSelector.select(scan, TreeSpec.of(200), Map.of(200, 20L))).isEmpty();
        assertThat(pids(TreeSelector.select(scan, TreeSpec.of(200), Map.of(200, 999L)))).containsExactly(200, 201);
    }

    @Test
    void aChildOlderThanItsParentBelongsToAReusedParentPid() {
        var scan = List.of(p(200, 1, 200, 50), p(201, 200, 201, 40));
        assertThat(pids(TreeSelector.select(scan, TreeSpec.of(200), Map.of()))).containsExactly(200);
    }

    @Test
    void severalRootsAndCyclesDoNotLoop() {
        var scan = List.of(p(10, 11, 10, 5), p(11, 10, 10, 5), p(20, 1, 20, 6));
        assertThat(pids(TreeSelector.select(scan, TreeSpec.of(10, 20), Map.of()))).containsExactlyInAnyOrder(10, 11, 20);
    }
}
