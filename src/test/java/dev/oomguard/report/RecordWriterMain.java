package dev.oomguard.report;

import java.nio.file.Path;

/**
 * A process that writes a run record as fast as it can until it is killed: the victim of
 * {@link RunRecordKillIT}. Samples at 1 ms steps of the record's clock, with an event every 50.
 */
public final class RecordWriterMain {
    private RecordWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        RecordSamples.Clocks clocks = new RecordSamples.Clocks();
        RunRecord r = RunRecord.open(Path.of(args[0]), RecordSamples.header(), clocks.options(Downsampling.NONE));
        for (long tick = 1; ; tick++) {
            r.sample(RecordSamples.sample(tick, clocks.at(tick), 8, (3000L << 20) + tick * 4096));
            if (tick % 50 == 0) {
                r.event("note", "tick " + tick + " ".repeat((int) (tick % 5000))); // long lines cross pages
            }
            if (r.problem().isPresent()) {
                throw r.problem().get();
            }
        }
    }
}
