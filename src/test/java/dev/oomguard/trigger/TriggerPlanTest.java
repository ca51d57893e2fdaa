package dev.oomguard.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.CheckpointLevel;
import dev.oomguard.guard.Seen;
import dev.oomguard.guard.TriggerLevels;
import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.units.ByteSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The plan at the centre of the triggers, as tables: no file is read, no descriptor made. */
class TriggerPlanTest {
    private static final long MIB = 1L << 20;
    private static final String V1_DIR = "/sys/fs/cgroup/memory/slurm/job_7";
    private static final String V2_DIR = "/sys/fs/cgroup/job";
    private static final String OWN = "/sys/fs/cgroup/memory/oomguard-99";

    private static Limit v1(long usedBytes) {
        return new Limit(LimitSource.CGROUP_V1, "cgroup v1 " + V1_DIR + ": memory.limit_in_bytes 512 MiB + swap 0 B",
                ByteSize.ofMiB(512), ByteSize.ofBytes(512 * MIB - usedBytes));
    }

    private static Limit v2(long usedBytes) {
        return new Limit(LimitSource.CGROUP_V2, "cgroup v2 " + V2_DIR + ": memory.max 512 MiB + swap 0 B",
                ByteSize.ofMiB(512), ByteSize.ofBytes(512 * MIB - usedBytes));
    }

    private static Limit host(long usedBytes) {
        return new Limit(LimitSource.HOST, "host: RAM 16 GiB + swap 0 B", ByteSize.ofGiB(16),
                ByteSize.ofBytes((16L << 30) - usedBytes));
    }

    private static Limit user(long usedBytes) {
        return new Limit(LimitSource.USER, "--limit 1 GiB", ByteSize.ofGiB(1), ByteSize.ofBytes((1L << 30) - usedBytes));
    }

    /** binding, --memory-max group, swap counts in v1 → route, gauge file, threshold dir, own counter. */
    private record ChoiceRow(Limit binding, Optional<String> own, boolean swap, Route route, String gaugeFile,
            boolean meminfo, String thresholdDir, boolean ownCounter) {
    }

    @Test
    void theRouteAndTheGaugeFollowTheBindingLimit() {
        List<ChoiceRow> rows = List.of(
                new ChoiceRow(v1(0), Optional.empty(), false, Route.THRESHOLDS, V1_DIR + "/memory.usage_in_bytes", false, V1_DIR, true),
                new ChoiceRow(v1(0), Optional.empty(), true, Route.THRESHOLDS, V1_DIR + "/memory.memsw.usage_in_bytes", false, V1_DIR, true),
                new ChoiceRow(v1(0), Optional.of(OWN), false, Route.THRESHOLDS, V1_DIR + "/memory.usage_in_bytes", false, V1_DIR, true),
                new ChoiceRow(v2(0), Optional.empty(), false, Route.POLL, V2_DIR + "/memory.current", false, null, true),
                new ChoiceRow(v2(0), Optional.of(OWN), false, Route.POLL, V2_DIR + "/memory.current", false, null, true),
                new ChoiceRow(host(0), Optional.of(OWN), false, Route.THRESHOLDS, OWN + "/memory.usage_in_bytes", false, OWN, false),
                new ChoiceRow(user(0), Optional.of(OWN), false, Route.THRESHOLDS, OWN + "/memory.usage_in_bytes", false, OWN, false),
                new ChoiceRow(host(0), Optional.empty(), false, Route.POLL, "/proc/meminfo", true, null, true));
        for (ChoiceRow r : rows) {
            assertThat(TriggerPlan.choose(r.binding(), r.own(), r.swap())).as(r.toString())
                    .contains(new TriggerPlan.Choice(r.route(), r.gaugeFile(), r.meminfo(), r.thresholdDir(), r.ownCounter()));
        }
        assertThat(TriggerPlan.choose(user(0), Optional.empty(), false)).as("--limit alone: no cheap aggregate").isEmpty();
        assertThat(TriggerPlan.choose(v1(0), Optional.empty(), true).orElseThrow().countsSwap()).isTrue();
        assertThat(TriggerPlan.choose(v1(0), Optional.empty(), false).orElseThrow().countsSwap()).isFalse();
    }

    private static Gauge gauge(TriggerPlan.Choice c) {
        return new Gauge(c.gaugeFile(), Path.of("/root" + c.gaugeFile()), c.meminfo());
    }

    /** The reading, the group's own pair, the one before the sample → base, its time, the levels. */
    private record BaseRow(String why, Limit binding, TriggerPlan.Readings readings, long baseFileBytes, long baseNanos,
            List<Long> fileLevels) {
    }

    @Test
    void theLevelsAreCarriedOverFromTheBestPairOfReadings() {
        Limit b = v1(300 * MIB);
        TriggerPlan.Choice c = TriggerPlan.choose(b, Optional.empty(), false).orElseThrow();
        String shown = gauge(c).describe();
        List<Long> used = List.of(460 * MIB, 490 * MIB);
        List<BaseRow> rows = List.of(
                new BaseRow("the gauge alone (it counts cache too: 20 MiB above the limit's use)", b,
                        new TriggerPlan.Readings(OptionalLong.of(320 * MIB), 100, Optional.empty(), 0, Optional.empty()),
                        320 * MIB, 100, List.of(460 * MIB, 490 * MIB)),
                new BaseRow("the group's own pair wins", b,
                        new TriggerPlan.Readings(OptionalLong.of(330 * MIB), 100,
                                Optional.of(new TriggerLevels.Base(v1(310 * MIB), 310 * MIB)), 150, Optional.empty()),
                        310 * MIB, 150, List.of(460 * MIB, 490 * MIB)),
                new BaseRow("the lower reading before the sample, at its time", b,
                        new TriggerPlan.Readings(OptionalLong.of(330 * MIB), 100, Optional.empty(), 0,
                                Optional.of(new TriggerPlan.Reading(shown, 290 * MIB, 40))),
                        290 * MIB, 40, List.of(450 * MIB, 480 * MIB)),
                new BaseRow("a reading of another gauge is not paired", b,
                        new TriggerPlan.Readings(OptionalLong.of(330 * MIB), 100, Optional.empty(), 0,
                                Optional.of(new TriggerPlan.Reading("/elsewhere", 290 * MIB, 40))),
                        330 * MIB, 100, List.of(460 * MIB, 490 * MIB)));
        for (BaseRow r : rows) {
            TriggerPlan p = TriggerPlan.of(c, gauge(c), r.binding(), r.readings(), used, Optional.empty());
            assertThat(p.route()).as(r.why()).isEqualTo(Route.THRESHOLDS);
            assertThat(p.base().fileBytes()).as(r.why()).isEqualTo(r.baseFileBytes());
            assertThat(p.baseNanos()).as(r.why()).isEqualTo(r.baseNanos());
            assertThat(p.fileLevels()).as(r.why()).isEqualTo(r.fileLevels());
            assertThat(p.thresholdDir()).isEqualTo(V1_DIR);
        }
        assertThat(TriggerPlan.of(c, gauge(c), b, new TriggerPlan.Readings(OptionalLong.empty(), 100, Optional.empty(), 0,
                Optional.empty()), used, Optional.empty())).as("unreadable: full samples only").isEqualTo(TriggerPlan.NONE);
    }

    @Test
    void aGaugeThatIsNotTheLimitsOwnCounterCarriesLevelsByOffsetAndTheCheckpointWithThem() {
        Limit b = host(8L << 30);
        TriggerPlan.Choice own = TriggerPlan.choose(b, Optional.of(OWN), false).orElseThrow();
        CheckpointLevel cp = new CheckpointLevel(9L << 30, "--checkpoint 90%", "host");
        TriggerPlan p = TriggerPlan.of(own, gauge(own), b, new TriggerPlan.Readings(OptionalLong.of(1L << 30), 5,
                Optional.empty(), 0, Optional.empty()), List.of(9L << 30), Optional.of(cp));
        assertThat(p.fileLevels()).as("the job's group holds 1 GiB of the host's 8").containsExactly(2L << 30);
        assertThat(p.checkpoint()).hasValueSatisfying(c -> assertThat(c.usedBytes()).isEqualTo(2L << 30));
        assertThat(p.ownCounter()).isFalse();
    }

    @Test
    void theReflexWatchesTheCheckpointLevelByThresholdOrByReading() {
        CheckpointLevel cp = new CheckpointLevel(460 * MIB, "--checkpoint 90%", "the group");
        TriggerPlan.Choice t = TriggerPlan.choose(v1(0), Optional.empty(), false).orElseThrow();
        TriggerPlan.Choice poll = TriggerPlan.choose(v2(0), Optional.empty(), false).orElseThrow();
        TriggerPlan.Readings r = new TriggerPlan.Readings(OptionalLong.of(0), 0, Optional.empty(), 0, Optional.empty());
        TriggerPlan thresholds = TriggerPlan.of(t, gauge(t), v1(0), r, List.of(460 * MIB), Optional.of(cp));
        TriggerPlan polled = TriggerPlan.of(poll, gauge(poll), v2(0), r, List.of(460 * MIB), Optional.of(cp));
        TriggerPlan noCheckpoint = TriggerPlan.of(t, gauge(t), v1(0), r, List.of(460 * MIB), Optional.empty());
        assertThat(thresholds.reflexWatch(true)).isEqualTo(TriggerPlan.ReflexWatch.THRESHOLD);
        assertThat(thresholds.reflexWatch(false)).as("thresholds not registered").isEqualTo(TriggerPlan.ReflexWatch.NONE);
        assertThat(thresholds.withRoute(Route.POLL).reflexWatch(false)).isEqualTo(TriggerPlan.ReflexWatch.POLLED);
        assertThat(polled.reflexWatch(false)).isEqualTo(TriggerPlan.ReflexWatch.POLLED);
        assertThat(noCheckpoint.reflexWatch(true)).isEqualTo(TriggerPlan.ReflexWatch.NONE);
        assertThat(TriggerPlan.NONE.reflexWatch(true)).isEqualTo(TriggerPlan.ReflexWatch.NONE);
        assertThat(thresholds.reflexSeen()).isEqualTo(Seen.KERNEL_NOTIFICATION);
        assertThat(polled.reflexSeen()).isEqualTo(Seen.POLLED_READING);
    }

    @Test
    void pollingLeavesTheReflexsLevelToTheReflexAndSeesCrossings() {
        TriggerPlan.Choice poll = TriggerPlan.choose(v2(0), Optional.empty(), false).orElseThrow();
        TriggerPlan p = TriggerPlan.of(poll, gauge(poll), v2(300 * MIB), new TriggerPlan.Readings(OptionalLong.of(300 * MIB),
                0, Optional.empty(), 0, Optional.empty()), List.of(460 * MIB, 490 * MIB), Optional.empty());
        assertThat(p.closingIn(OptionalLong.empty())).containsExactly(460 * MIB, 490 * MIB);
        assertThat(p.closingIn(OptionalLong.of(460 * MIB + 1000))).containsExactly(490 * MIB);
        assertThat(p.crossedBetween(450 * MIB, 470 * MIB)).isTrue();
        assertThat(p.crossedBetween(470 * MIB, 480 * MIB)).isFalse();
        assertThat(p.passedSinceBase(470 * MIB)).isTrue();
        assertThat(p.passedSinceBase(400 * MIB)).isFalse();
        assertThat(p.sameWatch(p.withRoute(Route.POLL))).isTrue();
        assertThat(p.sameWatch(p.withRoute(Route.THRESHOLDS))).isFalse();
        assertThat(p.sameWatch(null)).isFalse();
    }

    @Test
    void withoutACheapAggregateFullSamplesCloseInOnTheNextLevel() {
        Duration interval = Duration.ofSeconds(1);
        assertThat(TriggerPlan.fullSampleWait(List.of(), 0, interval)).isEqualTo(interval);
        assertThat(TriggerPlan.fullSampleWait(List.of(100 * MIB), 0, interval)).as("100 MiB at 2 GiB/s, halved")
                .isLessThan(interval).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(TriggerPlan.fullSampleWait(List.of(100 * MIB), 100 * MIB, interval)).isEqualTo(Duration.ofMillis(100));
        assertThat(TriggerPlan.fullSampleWait(List.of(100 * MIB), 100 * MIB, Duration.ofMillis(50)))
                .isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void oomKillsAreWatchedInTheJobsV1GroupFirstElseItsV2Group() {
        List<CgroupMount> both = List.of(new CgroupMount(CgroupVersion.V1, "/sys/fs/cgroup/memory", "/"),
                new CgroupMount(CgroupVersion.V2, "/sys/fs/cgroup/unified", "/"));
        assertThat(OomWatch.of(new CgroupPaths(Optional.of("/job"), Optional.of("/job")), both))
                .contains(new OomWatch(CgroupVersion.V1, "/sys/fs/cgroup/memory/job"));
        assertThat(OomWatch.of(new CgroupPaths(Optional.empty(), Optional.of("/job")), both))
                .contains(new OomWatch(CgroupVersion.V2, "/sys/fs/cgroup/unified/job"));
        assertThat(OomWatch.of(new CgroupPaths(Optional.of("/job"), Optional.empty()), both.subList(1, 2))).isEmpty();
    }
}
