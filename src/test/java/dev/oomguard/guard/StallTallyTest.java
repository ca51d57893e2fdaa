package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.StallReading;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StallTallyTest {
    private static Sample at(long seconds, StallReading.Scope scope, String where, long fullMicros, long faults) {
        Sample plain = Samples.at(seconds, Samples.limit(LimitSource.HOST, Samples.GIB, Samples.MIB));
        Optional<StallReading.Psi> psi = scope == null ? Optional.empty()
                : Optional.of(new StallReading.Psi(scope, where, fullMicros * 2, fullMicros));
        return new Sample(plain.takenNanos(), plain.tick(), plain.tree(), plain.totals(), plain.host(), plain.limits(),
                plain.binding(), plain.throttles(), plain.oomKills(), plain.oomCandidates(),
                Optional.of(new StallReading(psi, faults)));
    }

    @Test
    void addsUpTheStallBetweenTicks() {
        StallTally t = new StallTally();
        t.accept(at(0, StallReading.Scope.HOST, "/proc/pressure/memory", 5_000_000, 10));
        t.accept(at(100, StallReading.Scope.HOST, "/proc/pressure/memory", 15_000_000, 400));
        t.accept(at(300, StallReading.Scope.HOST, "/proc/pressure/memory", 47_000_000, 1234));
        StallTally.StallTime s = t.total().orElseThrow();
        assertThat(s.full()).isEqualTo(Duration.ofSeconds(42));
        assertThat(s.some()).isEqualTo(Duration.ofSeconds(84));
        assertThat(s.stalled()).as("host-wide: some").isEqualTo(s.some());
        assertThat(s.covered()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.hostWide()).isTrue();
        assertThat(s.treeMajorFaults()).isEqualTo(1234);
        assertThat(s.describe()).isEqualTo("84 s of 5 min (28%, host-wide PSI some; 42 s by host-wide PSI full)");
    }

    @Test
    void sourcesAreNeverAddedUpAndTheLongestCoveredOneIsReported() {
        StallTally t = new StallTally();
        t.accept(at(0, StallReading.Scope.HOST, "/proc/pressure/memory", 1_000_000_000, 0));
        t.accept(at(2, StallReading.Scope.HOST, "/proc/pressure/memory", 1_001_000_000, 0));
        t.accept(at(3, StallReading.Scope.JOB_CGROUP, "/job", 0, 5));
        t.accept(at(13, StallReading.Scope.JOB_CGROUP, "/job", 6_500_000, 9));
        t.accept(at(14, StallReading.Scope.HOST, "/proc/pressure/memory", 1_090_000_000, 9));
        StallTally.StallTime s = t.total().orElseThrow();
        assertThat(s.describe()).isEqualTo("6.5 s of 10 s (65%, PSI full of the job's cgroup v2 /job)");
        assertThat(s.hostWide()).isFalse();
        assertThat(s.stalled()).as("the job's own group: full").isEqualTo(s.full());
        assertThat(s.some()).as("never more than the time covered").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void withoutPsiThereIsNoFigure() {
        StallTally t = new StallTally();
        t.accept(at(0, null, null, 0, 3));
        t.accept(Samples.at(1, Samples.limit(LimitSource.HOST, Samples.GIB, Samples.MIB)));
        assertThat(t.total()).isEmpty();
    }
}
