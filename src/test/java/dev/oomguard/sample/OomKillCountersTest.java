package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which counter says how many of the job's processes were killed (seen wrong in RPartialKillIT). */
class OomKillCountersTest {
    private static final String JOB = "/sys/fs/cgroup/memory/job";
    private static final String PARENT = "/sys/fs/cgroup/memory";

    private static OomKillCounters at(long host, long job, long parent) {
        Map<String, Long> chain = new LinkedHashMap<>();
        chain.put(JOB, job);
        chain.put(PARENT, parent);
        return new OomKillCounters(OptionalLong.of(host), chain);
    }

    @Test
    void aKillBetweenTheTwoReadsOfOneTickIsCountedOnce() {
        // The kill lands after the cgroup counter was read and before vmstat was: tick 2 sees it in
        // the host counter only, tick 3 in the cgroup's only. The largest rise of any counter
        // counted it at both ticks.
        OomKillCounters t1 = at(10, 3, 0);
        OomKillCounters t2 = at(11, 3, 0);
        OomKillCounters t3 = at(11, 4, 0);
        assertThat(t2.killsSince(t1) + t3.killsSince(t2)).isEqualTo(1);
    }

    @Test
    void aKillElsewhereOnTheMachineIsNotTheJobs() {
        assertThat(at(15, 3, 0).killsSince(at(10, 3, 0))).isZero();
        assertThat(at(15, 3, 7).killsSince(at(10, 3, 0))).as("an ancestor counts siblings on v2").isZero();
        assertThat(at(12, 5, 0).killsSince(at(10, 3, 0))).isEqualTo(2);
    }

    @Test
    void withoutACgroupCounterTheHostCounts() {
        OomKillCounters before = new OomKillCounters(OptionalLong.of(10), Map.of());
        OomKillCounters after = new OomKillCounters(OptionalLong.of(12), Map.of());
        assertThat(after.killsSince(before)).isEqualTo(2);
        assertThat(new OomKillCounters(OptionalLong.empty(), Map.of()).killsSince(before)).isZero();
    }

    @Test
    void theNearestCgroupComesFirstWhateverTheChainsLength() {
        Map<String, Long> chain = new LinkedHashMap<>();
        for (int i = 9; i >= 0; i--) {
            chain.put("/sys/fs/cgroup/memory/a" + "/b".repeat(i), (long) i);
        }
        OomKillCounters c = new OomKillCounters(OptionalLong.of(0), chain);
        assertThat(c.nearestCgroup()).hasValue("/sys/fs/cgroup/memory/a" + "/b".repeat(9));
        assertThat(c.cgroups().keySet()).containsExactlyElementsOf(chain.keySet());
    }
}
