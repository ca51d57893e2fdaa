package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On the live system, the walk down the children files and the scan of every process find the same tree. */
class TreeWalkIT {
    @Test
    void onTheLiveSystemTheWalkAndTheScanAgree() throws Exception {
        ProcFs fs = ProcFs.system();
        org.junit.jupiter.api.Assumptions.assumeTrue(fs.exists("/proc/self/task/" + ProcessHandle.current().pid() + "/children"),
                "this kernel has no /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)");
        Process job = new ProcessBuilder("sh", "-c", "sleep 30 & sleep 30 & wait").start();
        try {
            int pid = (int) job.pid();
            for (int i = 0; i < 100 && ProcessHandle.of(pid).map(h -> h.descendants().count()).orElse(0L) < 3; i++) {
                Thread.sleep(20);
            }
            TreeSpec spec = TreeSpec.of(pid);
            List<PidStat> walked = new TreeWalk(fs).members(spec, new HashMap<>()).orElseThrow();
            List<PidStat> selected = TreeSelector.select(TreeWalkTest.scan(fs), spec, Map.of());
            assertThat(TreeWalkTest.pids(walked)).hasSize(3).containsExactlyElementsOf(TreeWalkTest.pids(selected));
        } finally {
            job.descendants().forEach(ProcessHandle::destroy);
            job.destroy();
        }
    }
}
