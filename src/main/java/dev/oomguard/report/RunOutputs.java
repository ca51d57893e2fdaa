package dev.oomguard.report;

import dev.oomguard.explain.OomCounters;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** What a guarded run ({@code run}) and a watched one ({@code watch}) both produce at the end. */
public final class RunOutputs {
    private RunOutputs() {
    }

    /** The OOM kill counters from the first to the last sample, as evidence for the explanation. */
    public static OomCounters counters(Sample first, Sample last) {
        if (first == null || last == null) {
            return OomCounters.NONE;
        }
        OomKillCounters a = first.oomKills();
        OomKillCounters b = last.oomKills();
        Long hostBefore = a.host().isPresent() ? a.host().getAsLong() : null;
        Long hostAfter = b.host().isPresent() ? b.host().getAsLong() : null;
        String key = b.cgroups().keySet().stream().findFirst().orElse(null);
        Long cgBefore = key == null ? null : a.cgroups().get(key);
        Long cgAfter = key == null ? null : b.cgroups().get(key);
        return new OomCounters(hostBefore, hostAfter, cgBefore, cgAfter, key == null ? null : key + " oom_kill");
    }

    /** The HTML report, drawn from the record just closed (read line by line: the heap is small). */
    public static void writeHtml(Path recordFile, Path out, Consumer<String> say, Consumer<String> detail) {
        try (var in = Files.newInputStream(recordFile)) {
            Optional<HtmlReport.Page> page = HtmlReport.read(in);
            if (page.isPresent()) {
                HtmlReport.write(out, page.get().html());
                detail.accept("wrote the HTML report " + out);
            } else {
                say.accept("--html: the record " + recordFile + " has no header; no report written");
            }
        } catch (IOException | RuntimeException e) {
            say.accept("--html: " + e.getMessage());
        }
    }

    /** oomguard's version, for the run record's header. */
    public static String version() {
        String v = RunOutputs.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
