package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.Percent;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.StallDetector;
import dev.oomguard.guard.StallSettings;
import dev.oomguard.guard.Step;
import dev.oomguard.guard.TickListener;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.StallReading;
import dev.oomguard.sample.TreeTotals;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The thrashing detector in the listener chain: its decisions go on like the ladder's and into the summary. */
class StalledTest {
    private static final class Recorder implements TickListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void sampled(Sample sample) {
            events.add("sample " + sample.tick());
        }

        @Override
        public void act(Action action) {
            events.add(action.step() + " " + action.why());
        }

        @Override
        public void partialKill(PartialKill kill, Sample sample) {
        }

        @Override
        public void failed(Exception e) {
        }
    }

    private static Sample at(long second, long fullMicros) {
        Limit host = new Limit(LimitSource.HOST, "host: RAM + swap", ByteSize.ofGiB(16), ByteSize.ofGiB(8));
        List<ProcessMemory> tree = List.of(new ProcessMemory(new ProcessId(42, 100), 1, "job", 1000, 0, 0, 0,
                OptionalLong.empty()));
        return new Sample(second * 1_000_000_000L, second, tree, TreeTotals.of(tree), new MemInfo(16 << 20, 8 << 20, 0, 0),
                List.of(host), host, List.of(), new OomKillCounters(OptionalLong.of(0), Map.of()), List.of(),
                Optional.of(new StallReading(Optional.of(new StallReading.Psi(StallReading.Scope.JOB_CGROUP, "/job",
                        fullMicros, fullMicros)), 0)));
    }

    @Test
    void aStallIsActedOnAfterTheSampleIsHandedOnAndCountedInTheSummary() {
        Recorder next = new Recorder();
        RunSummary summary = new RunSummary();
        Stalled stalled = new Stalled(next, new StallDetector(StallSettings.defaults().with(
                Optional.of(Percent.of(20)), Duration.ofSeconds(2), StallSettings.OnStall.CHECKPOINT,
                Duration.ofSeconds(10))), summary);
        for (long s = 0; s <= 3; s++) {
            Sample sample = at(s, s * 600_000);
            summary.accept(sample);
            stalled.sampled(sample);
        }
        assertThat(next.events).containsExactly("sample 0", "sample 1", "sample 2",
                "CHECKPOINT thrashing: stalled on memory 60% of the last 2s (--warn-stall 20%; PSI full of the job's"
                        + " cgroup v2 /job, the job's tree made 0 major faults/s)", "sample 3");
        assertThat(summary.actions()).extracting(Action::step).containsExactly(Step.CHECKPOINT);
        assertThat(summary.memoryStall().orElseThrow().describe())
                .isEqualTo("1.8 s of 3.0 s (60%, PSI full of the job's cgroup v2 /job)");
    }
}
