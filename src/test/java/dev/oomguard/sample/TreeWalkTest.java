package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.FakeProc;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk down the children files picks what the selector picks from a scan of every process. */
class TreeWalkTest {
    @TempDir(factory = FakeProc.InMemory.class)
    java.nio.file.Path root;
    private FakeProc proc;

    /**
     * Supervisor 100 (group 100, threads 100-102) spawned the job 200 and its own helper 150 from
     * thread 100; orphan 250 of the job was adopted by thread 102. The job's children file lists
     * 203 (a PID reused by a process older than the job: not its child), 201, 205 (a zombie) and
     * 206 (reparented to init since). 300 is outside.
     */
    @BeforeEach
    void tree() {
        proc = new FakeProc(root);
        proc.meminfo(16 << 20, 12 << 20, 0, 0);
        proc.process(1, "init", 0, 1, 1, 100, 0, 0, 0);
        proc.process(100, "java", 1, 100, 10, 1000, 0, 0, 0);
        proc.threads(100, 3);
        proc.process(150, "hook", 100, 100, 15, 100, 0, 0, 0);
        proc.process(200, "sh", 100, 200, 20, 100, 0, 0, 0);
        proc.process(201, "worker", 200, 200, 21, 100, 0, 0, 0);
        proc.process(202, "grandchild", 201, 200, 22, 100, 0, 0, 0);
        proc.process(203, "old", 200, 203, 5, 100, 0, 0, 0);
        proc.process(204, "olds-child", 203, 203, 6, 100, 0, 0, 0);
        proc.zombie(205, "done", 200, 200, 23);
        proc.process(206, "moved", 1, 200, 24, 100, 0, 0, 0);
        proc.process(250, "orphan", 100, 200, 25, 100, 0, 0, 0);
        proc.process(251, "orphans-child", 250, 200, 26, 100, 0, 0, 0);
        proc.process(300, "outside", 1, 300, 30, 100, 0, 0, 0);
    }

    private void childrenFiles() {
        proc.children(1, 1, 100, 206, 300);
        proc.children(100, 100, 200, 150);
        proc.children(100, 101);
        proc.children(100, 102, 250);
        proc.children(150, 150);
        proc.children(200, 200, 203, 201, 205, 206);
        proc.children(201, 201, 202);
        proc.children(202, 202);
        proc.children(203, 203, 204);
        proc.children(204, 204);
        proc.children(205, 205);
        proc.children(206, 206);
        proc.children(250, 250, 251);
        proc.children(251, 251);
        proc.children(300, 300);
    }

    @Test
    void walkPicksTheSelectorsMembersInItsOrder() {
        childrenFiles();
        TreeSpec spec = TreeSpec.of(200).adoptedBy(100);
        List<PidStat> walked = new TreeWalk(proc.fs()).members(spec, new HashMap<>()).orElseThrow();
        assertThat(pids(walked)).containsExactly(200, 250, 201, 205, 251, 202);
        assertThat(pids(walked)).containsExactlyElementsOf(pids(TreeSelector.select(scan(proc.fs()), spec, Map.of())));
        assertThat(walked).containsExactlyElementsOf(TreeSelector.select(scan(proc.fs()), spec, Map.of()));
    }

    @Test
    void withoutAdopterOnlyTheRootsDescendants() {
        childrenFiles();
        TreeSpec spec = TreeSpec.of(201, 250);
        assertThat(pids(new TreeWalk(proc.fs()).members(spec, new HashMap<>()).orElseThrow()))
                .containsExactlyInAnyOrderElementsOf(pids(TreeSelector.select(scan(proc.fs()), spec, Map.of())))
                .containsExactlyInAnyOrder(201, 202, 250, 251);
    }

    @Test
    void aReusedRootPidIsNotTheJobAndAFirstSeenRootIsRemembered() {
        childrenFiles();
        Map<Integer, Long> starts = new HashMap<>(Map.of(200, 19L));
        assertThat(new TreeWalk(proc.fs()).members(TreeSpec.of(200), starts).orElseThrow()).isEmpty();
        Map<Integer, Long> fresh = new HashMap<>();
        new TreeWalk(proc.fs()).members(TreeSpec.of(200), fresh);
        assertThat(fresh).containsExactly(Map.entry(200, 20L));
    }

    @Test
    void withoutChildrenFilesThereIsNoWalkAndTheSamplerScans() {
        TreeWalk walk = new TreeWalk(proc.fs());
        assertThat(walk.members(TreeSpec.of(200).adoptedBy(100), new HashMap<>())).isEmpty();
        assertThat(walk.possible()).isFalse();
        Sample s = new Sampler(proc.fs(), TreeSpec.of(200).adoptedBy(100), LimitSources.standard(), () -> 0L).sample();
        assertThat(s.tree()).extracting(ProcessMemory::pid).containsExactlyInAnyOrder(200, 250, 201, 251, 202);
    }

    @Test
    void theSamplerFindsTheSameTreeEitherWay() {
        TreeSpec spec = TreeSpec.of(200).adoptedBy(100);
        LimitSources noHost = LimitSources.standard().withUserLimit(dev.oomguard.units.ByteSize.ofMiB(64)); // the user's cap binds: no scan
        Sample scanned = new Sampler(proc.fs(), spec, noHost, () -> 0L).sample();
        childrenFiles();
        Sample walked = new Sampler(proc.fs(), spec, noHost, () -> 0L).sample();
        assertThat(walked.tree()).isEqualTo(scanned.tree());
        assertThat(walked.binding().source()).isEqualTo(LimitSource.USER);
    }

    @Test
    void childrenFilesParse() {
        List<Integer> into = new ArrayList<>();
        TreeWalk.parse("12 345 6789 ", into);
        TreeWalk.parse("", into);
        TreeWalk.parse("7", into);
        assertThat(into).containsExactly(12, 345, 6789, 7);
    }

    static List<PidStat> scan(ProcFs fs) {
        return fs.pids().stream().sorted().flatMap(p -> PidStat.read(fs, p).stream()).toList();
    }

    static List<Integer> pids(List<PidStat> members) {
        return members.stream().map(PidStat::pid).toList();
    }
}
