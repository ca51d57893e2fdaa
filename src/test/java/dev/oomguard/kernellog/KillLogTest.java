package dev.oomguard.kernellog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class KillLogTest {
    private static final String KMSG = String.join("\n",
            "6,100,1000,-;R invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
            "3,101,1001,-;Memory cgroup out of memory: Killed process 4242 (R) total-vm:500kB, anon-rss:200kB",
            "6,102,1002,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
                    + "oom_memcg=/g,task_memcg=/g,task=R,pid=32743,uid=0",
            " SUBSYSTEM=memory",
            "3,103,1003,-;Memory cgroup out of memory: Killed process 32743 (R) total-vm:1kB",
            "6,104,1004,-;oom_reaper: reaped process 32743 (R), now anon-rss:0kB",
            "6,105,1005,-;eth0: link up, pid=77,");

    @Test
    void victimsFromBothLineFormsAfterTheStartingRecord() throws Exception {
        assertThat(KillLog.victims(new BufferedReader(new StringReader(KMSG)), 0)).containsExactly(4242, 32743);
        assertThat(KillLog.victims(new BufferedReader(new StringReader(KMSG)), 102)).containsExactly(32743);
        assertThat(KillLog.victims(new BufferedReader(new StringReader(KMSG)), 106)).isEmpty();
    }
}
