package dev.oomguard.cli;

import dev.oomguard.files.OutputFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The files a run writes, shared by {@code run} and {@code watch} as a mixin. */
final class OutputOptions {
    @Option(names = "--record", paramLabel = "FILE.jsonl",
            description = {"Record the run as it happens (JSON lines).",
                "One JSON object per line, schema oomguard.record/1 (see docs/records.md)."})
    Path record;

    @Option(names = "--summary-json", paramLabel = "FILE",
            description = {"Write the summary as JSON at exit.",
                "Written atomically; schema oomguard.summary/1."})
    Path summaryJson;

    @Option(names = "--html", paramLabel = "FILE",
            description = {"Write an HTML report of the run at exit.",
                "A self-contained page drawn from the run record (--record, else FILE.jsonl kept beside the"
                    + " report)."})
    Path html;

    @Option(names = "--prom-textfile", paramLabel = "FILE",
            description = {"Write Prometheus metrics to FILE.",
                "For node_exporter's textfile collector: written atomically every --prom-interval while the job"
                    + " runs, and at the end."})
    Path promTextfile;

    @Option(names = "--prom-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s", description = {"Metrics rewrite interval (default: ${DEFAULT-VALUE}).",
                "How often the --prom-textfile file is rewritten while the job runs."})
    Duration promInterval;

    /**
     * The files written at the end (or every --prom-interval) can be written: checked before the
     * job starts, so that a path that will not take them stops the run now (125) instead of losing
     * them at the end. --record and --log are opened before the job starts, which checks them.
     */
    void check() {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--summary-json", summaryJson);
        outputs.put("--prom-textfile", promTextfile);
        outputs.put("--html", html);
        outputs.forEach((option, file) -> {
            if (file != null) {
                try {
                    OutputFile.checkReplaceable(file);
                } catch (IOException e) {
                    throw ExitException.invalidInput(option + ": " + e.getMessage());
                }
            }
        });
    }

    /** --html draws from a record: the user's, or one kept beside the report for this run. */
    Path recordPath() {
        if (record != null || html == null) {
            return record;
        }
        Path abs = html.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".jsonl");
    }
}
