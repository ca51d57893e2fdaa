package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard's judgement on real memory profiles (src/test/resources/profiles: R, Python, a JVM,
 * gcc, sort, xz, recorded with {@code oomguard --record}), each at several limits, replayed through
 * the real ladder and growth estimator with default settings, at the default 5 s interval and at
 * 1 s: a job that fits is never stopped, nor asked to checkpoint below the floor (--warn); a job
 * that would exhaust its limit is stopped before it would have.
 */
class JudgementReplayTest {
    static final List<Duration> INTERVALS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(1));
    /** The floor below which a job that fits must not be asked to checkpoint: the default --warn. */
    static final double FLOOR_PERCENT = 80;

    private final Map<String, ProfileTrace> traces = new LinkedHashMap<>();

    private ProfileTrace trace(String name) {
        return traces.computeIfAbsent(name, ProfileTrace::read);
    }

    @Test
    void theCorpusCoversEveryShapeAndEachOutcomeIsTheTracesOwn() {
        List<ProfileCase> cases = ProfileCase.all();
        assertThat(cases).extracting(ProfileCase::profile).contains("r-read-csv", "r-mclapply", "r-grow-vector",
                "py-burst", "py-chunked", "py-pool", "py-leak-40", "py-leak-10", "py-leak-2", "py-plateau", "jvm-gc-sawtooth",
                "gcc-O2", "sort-S", "xz-9");
        assertThat(cases).filteredOn(ProfileCase::fits).hasSizeGreaterThanOrEqualTo(20);
        assertThat(cases).filteredOn(c -> !c.fits()).hasSizeGreaterThanOrEqualTo(20);
        for (ProfileCase c : cases) {
            assertThat(trace(c.profile()).exhaustsAtMillis(c.limitBytes())).as("%s at %d MiB", c.profile(), c.limitMiB())
                    .isEqualTo(c.exhaustsAtMillis());
        }
    }

    @Test
    void noJobThatFitsIsStoppedOrCheckpointedBelowTheFloorAndEveryExhaustingJobIsStoppedInTime() {
        List<String> wrong = new ArrayList<>();
        int replayed = 0;
        for (Duration interval : INTERVALS) {
            JudgementReplay replay = JudgementReplay.defaults(interval);
            for (ProfileCase c : ProfileCase.all()) {
                JudgementReplay.Judgement j = replay.replay(trace(c.profile()), c);
                replayed++;
                String verdict = j.verdict(FLOOR_PERCENT);
                if (!verdict.equals("ok")) {
                    wrong.add(String.format(java.util.Locale.ROOT, "%s at %d MiB (peak %.1f%%, %s), interval %ss: %s — %s",
                            c.profile(), c.limitMiB(), j.peakPercent(), c.expected(), interval.toSeconds(), verdict,
                            j.stop().or(j::checkpoint).map(d -> d.describe() + ": " + d.why()).orElse("no stop")));
                }
            }
        }
        assertThat(replayed).isGreaterThanOrEqualTo(80);
        assertThat(wrong).as("wrong judgements").isEmpty();
    }
}
