package dev.oomguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.Fixtures;
import dev.oomguard.proc.MemoryPressure;
import dev.oomguard.proc.PidStat;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.StallReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StallDetectorTest {
    private static final long SECOND = Samples.SECOND;
    private static final Limit LIMIT = Samples.limit(LimitSource.CGROUP_V1, 512 * Samples.MIB, 100 * Samples.MIB);
    private static final StallReading.Psi OWN = psi(StallReading.Scope.JOB_CGROUP, "/jobs/a", 0);
    private static final StallReading.Psi HOST = psi(StallReading.Scope.HOST, "/proc/pressure/memory", 0);

    private static StallReading.Psi psi(StallReading.Scope scope, String where, long fullMicros) {
        return new StallReading.Psi(scope, where, fullMicros, fullMicros);
    }

    /** A tick at {@code nanos} with the given PSI full counter and the tree's major faults so far. */
    private static Sample at(long nanos, StallReading.Psi source, long fullMicros, long faults) {
        Sample plain = Samples.at(nanos / SECOND, LIMIT);
        StallReading r = new StallReading(Optional.ofNullable(source)
                .map(s -> psi(s.scope(), s.where(), fullMicros)), faults);
        return new Sample(nanos, plain.tick(), plain.tree(), plain.totals(), plain.host(), plain.limits(),
                plain.binding(), plain.throttles(), plain.oomKills(), plain.oomCandidates(), Optional.of(r));
    }

    private static Sample hostAt(long nanos, MemoryPressure host, long faults) {
        Sample s = at(nanos, HOST, 0, faults);
        return new Sample(s.takenNanos(), s.tick(), s.tree(), s.totals(), s.host(), s.limits(), s.binding(),
                s.throttles(), s.oomKills(), s.oomCandidates(), Optional.of(new StallReading(Optional.of(
                        new StallReading.Psi(StallReading.Scope.HOST, "/proc/pressure/memory", host.someTotalMicros(),
                                host.fullTotalMicros())), faults)));
    }

    private static StallSettings settings(String at, StallSettings.OnStall on) {
        return StallSettings.defaults().with(Optional.of(Percent.parse(at)), Duration.ofSeconds(10), on,
                Duration.ofSeconds(5));
    }

    /**
     * Feeds one tick a second from {@code fromSecond} to {@code toSecond} (inclusive), stalling
     * {@code sharePercent} of each second, with {@code faultsPerSecond}; returns what fired.
     */
    private static final class Run {
        final StallDetector detector;
        long full;
        long faults;
        final List<Action> fired = new ArrayList<>();

        Run(StallSettings s) {
            detector = new StallDetector(s);
        }

        Run seconds(long from, long to, double sharePercent, long faultsPerSecond, StallReading.Psi source) {
            for (long t = from; t <= to; t++) {
                if (t > from || t > 0) {
                    full += (long) (sharePercent * 10_000); // µs stalled in the second before
                    faults += faultsPerSecond;
                }
                fired.addAll(detector.decide(at(t * SECOND, source, full, faults)));
            }
            return this;
        }
    }

    @Test
    void nothingFiresBeforeTheWindowIsCoveredThenItFiresOnce() {
        Run r = new Run(settings("20%", StallSettings.OnStall.WARN)).seconds(0, 9, 90, 0, OWN);
        assertThat(r.fired).as("9 s of a 10 s window: not yet").isEmpty();
        r.seconds(10, 10, 90, 0, OWN);
        assertThat(r.fired).hasSize(1);
        Action a = r.fired.get(0);
        assertThat(a.step()).isEqualTo(Step.WARN);
        assertThat(a.why()).isEqualTo("thrashing: stalled on memory 90% of the last 10s (--warn-stall 20%;"
                + " PSI full of the job's cgroup v2 /jobs/a, the job's tree made 0 major faults/s)");
        r.seconds(11, 60, 90, 0, OWN);
        assertThat(r.fired).as("fire once per episode").hasSize(1);
        assertThat(r.detector.lastWindow().orElseThrow().percent()).isEqualTo(90.0);
    }

    @Test
    void belowTheThresholdNothingFires() {
        Run r = new Run(settings("20%", StallSettings.OnStall.WARN)).seconds(0, 60, 19, 100, OWN);
        assertThat(r.fired).isEmpty();
        assertThat(r.detector.lastWindow().orElseThrow().percent()).isCloseTo(19.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void anEpisodeEndsOnlyWhenTheShareFallsByTheHysteresis() {
        Run r = new Run(settings("20%", StallSettings.OnStall.WARN)).seconds(0, 20, 50, 0, OWN);
        assertThat(r.fired).hasSize(1);
        r.seconds(21, 60, 16, 0, OWN).seconds(61, 80, 50, 0, OWN);
        assertThat(r.fired).as("16% is within 5 points of 20%: the episode goes on").hasSize(1);
        r.seconds(81, 120, 10, 0, OWN).seconds(121, 140, 50, 0, OWN);
        assertThat(r.fired).as("10% ended it; the next episode fires again").hasSize(2);
    }

    @Test
    void hostWidePressureIsBlamedOnTheJobOnlyWhenItsTreeFaults() {
        Run quiet = new Run(settings("20%", StallSettings.OnStall.WARN)).seconds(0, 60, 80, 0, HOST);
        assertThat(quiet.fired).as("the machine stalls, the job does not fault: someone else's stall").isEmpty();
        Run faulting = new Run(settings("20%", StallSettings.OnStall.WARN)).seconds(0, 60, 80, 13, HOST);
        assertThat(faulting.fired).hasSize(1);
        assertThat(faulting.fired.get(0).why()).isEqualTo("thrashing: the machine stalled on memory 80% of the last"
                + " 10s (--warn-stall 20%; host-wide PSI some, which counts every task on the machine, while the job's"
                + " tree made 13 major faults/s)");
    }

    @Test
    void anotherSourceOrACounterThatWentBackStartsTheWindowAgain() {
        Run r = new Run(settings("20%", StallSettings.OnStall.WARN)).seconds(0, 8, 90, 0, OWN)
                .seconds(9, 17, 90, 0, psi(StallReading.Scope.JOB_CGROUP, "/jobs/b", 0));
        assertThat(r.fired).as("neither group covered a window").isEmpty();
        r.full = 0; // the group was made anew
        r.seconds(18, 26, 90, 0, psi(StallReading.Scope.JOB_CGROUP, "/jobs/b", 0));
        assertThat(r.fired).isEmpty();
        r.seconds(27, 30, 90, 0, psi(StallReading.Scope.JOB_CGROUP, "/jobs/b", 0));
        assertThat(r.fired).hasSize(1);
    }

    @Test
    void offOnlyMeasures() {
        StallSettings off = StallSettings.defaults().with(Optional.empty(), Duration.ofSeconds(10),
                StallSettings.OnStall.STOP, Duration.ofSeconds(5));
        Run r = new Run(off).seconds(0, 60, 100, 100, OWN);
        assertThat(r.fired).isEmpty();
        assertThat(r.detector.lastWindow()).isPresent();
    }

    @Test
    void withoutPsiNothingIsMeasured() {
        Run r = new Run(settings("20%", StallSettings.OnStall.WARN)).seconds(0, 60, 100, 100, null);
        assertThat(r.fired).isEmpty();
        assertThat(r.detector.lastWindow()).isEmpty();
    }

    @Test
    void checkpointIsAskedOncePerEpisode() {
        Run r = new Run(settings("30%", StallSettings.OnStall.CHECKPOINT)).seconds(0, 30, 60, 0, OWN);
        assertThat(r.fired).extracting(Action::step).containsExactly(Step.CHECKPOINT);
        assertThat(r.fired.get(0).todo()).isEqualTo("ask the job to checkpoint");
    }

    @Test
    void stopTerminatesThenKillsAfterTheGraceOnce() {
        Run r = new Run(settings("30%", StallSettings.OnStall.STOP)).seconds(0, 10, 60, 0, OWN);
        assertThat(r.fired).extracting(Action::step).containsExactly(Step.TERMINATE);
        r.seconds(11, 14, 60, 0, OWN);
        assertThat(r.fired).as("within the 5 s grace").hasSize(1);
        r.seconds(15, 40, 60, 0, OWN);
        assertThat(r.fired).extracting(Action::step).containsExactly(Step.TERMINATE, Step.KILL);
        assertThat(r.fired.get(1).why()).isEqualTo("still running 5s after SIGTERM for thrashing");
    }

    @Test
    void aGoneTreeIsNotActedOn() {
        StallDetector d = new StallDetector(settings("20%", StallSettings.OnStall.STOP));
        d.decide(at(0, OWN, 0, 0));
        Sample full = at(20 * SECOND, OWN, 20_000_000, 0);
        Sample gone = new Sample(full.takenNanos(), full.tick(), List.of(), full.totals(), full.host(), full.limits(),
                full.binding(), full.throttles(), full.oomKills(), full.oomCandidates(), full.stall());
        assertThat(d.decide(gone)).isEmpty();
    }

    /** The two snapshots of a real refault storm, 5.085 s apart (fixtures/thrashing-6.18/NOTE.md). */
    @Test
    void aRealRefaultStormFiresOnTheJobsGroupWhileHostWidePressureStaysLow() {
        MemoryPressure g1 = MemoryPressure.parse(Fixtures.text("thrashing-6.18/cgroup_memory.pressure_1"), "g1");
        MemoryPressure g2 = MemoryPressure.parse(Fixtures.text("thrashing-6.18/cgroup_memory.pressure_2"), "g2");
        MemoryPressure h1 = MemoryPressure.parse(Fixtures.text("thrashing-6.18/pressure_memory_1"), "h1");
        MemoryPressure h2 = MemoryPressure.parse(Fixtures.text("thrashing-6.18/pressure_memory_2"), "h2");
        long f1 = PidStat.parse(Fixtures.text("thrashing-6.18/stat_1"), "stat_1").majorFaults();
        long f2 = PidStat.parse(Fixtures.text("thrashing-6.18/stat_2"), "stat_2").majorFaults();
        long t2 = 5_085_000_000L;
        StallSettings s = StallSettings.defaults().with(Optional.of(Percent.of(20)), Duration.ofSeconds(5),
                StallSettings.OnStall.WARN, Duration.ofSeconds(10));

        StallDetector own = new StallDetector(s);
        assertThat(own.decide(at(0, OWN, g1.fullTotalMicros(), f1))).isEmpty();
        List<Action> fired = own.decide(at(t2, OWN, g2.fullTotalMicros(), f2));
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).why()).startsWith("thrashing: stalled on memory 62% of the last 5s")
                .contains("the job's tree made 13 major faults/s");

        // Host-wide "full" rose only 0.38 s (7.5%): other busy tasks ran while the job waited. "some"
        // rose 1.67 s (33%), blamed on the job for its 13 major faults/s.
        assertThat((h2.fullTotalMicros() - h1.fullTotalMicros()) / 1000).isEqualTo(382);
        StallDetector host = new StallDetector(s);
        host.decide(hostAt(0, h1, f1));
        List<Action> hostFired = host.decide(hostAt(t2, h2, f2));
        assertThat(hostFired).hasSize(1);
        assertThat(hostFired.get(0).why()).startsWith("thrashing: the machine stalled on memory 33% of the last 5s");
    }
}
