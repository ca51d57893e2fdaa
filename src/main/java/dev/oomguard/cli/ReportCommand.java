package dev.oomguard.cli;

import dev.oomguard.report.HtmlReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oomguard report RECORD.jsonl --html FILE}: a run record as one self-contained HTML page. Parses and delegates. */
@Command(name = "report", sortOptions = false, header = "Draw a run record as one HTML page.",
        description = {"Renders a run record (--record FILE.jsonl) as one self-contained HTML file: memory over time "
            + "by process, the limit and thresholds, every event, the headroom, and the summary and explanations."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RECORD.jsonl|-", description = "The run record; '-' is stdin.")
    String record;

    @Option(names = "--html", paramLabel = "FILE", required = true,
            description = {"Write the page here.", "Atomically: a temporary file renamed over FILE."})
    Path html;

    @Mixin
    HelpOptions help;

    private final Console console;
    private final Supplier<InputStream> stdin;

    public ReportCommand(Console console) {
        this(console, () -> System.in);
    }

    ReportCommand(Console console, Supplier<InputStream> stdin) {
        this.console = console;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        Optional<HtmlReport.Page> page;
        // Streamed, not read whole: the launcher's heap is 24 MiB and a 3-day record ~20 MB.
        try (InputStream in = record.equals("-") ? stdin.get() : Files.newInputStream(Path.of(record))) {
            page = HtmlReport.read(in);
        } catch (NoSuchFileException e) {
            throw ExitException.invalidInput("no such run record: " + record);
        } catch (IOException e) {
            throw ExitException.invalidInput("cannot read the run record " + record + ": " + e.getMessage());
        }
        if (page.isEmpty()) {
            throw ExitException.invalidInput(record + " is not an oomguard run record: its first line is not a header"
                    + " (make one with 'oomguard --record FILE.jsonl COMMAND')");
        }
        try {
            HtmlReport.write(html, page.get().html());
        } catch (IOException e) {
            throw ExitException.invalidInput(e.getMessage()); // "cannot write FILE: why", in words
        }
        if (!page.get().ended()) {
            console.say("the record has no exit line (oomguard died before the job ended); the report shows the run "
                    + "up to its last line");
        }
        return 0;
    }
}
