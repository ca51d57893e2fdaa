package dev.oomguard.report;

import dev.oomguard.files.OutputFile;
import dev.oomguard.guard.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics for node_exporter's textfile collector: one file per job name, replaced atomically
 * (written beside it, then renamed), so a scrape never sees half a file. Names follow
 * Prometheus conventions: base units in the name ({@code _bytes}, {@code _seconds}), {@code _total}
 * for counts. Values describe the latest run of the job.
 */
public final class PromTextfile {
    /** What the metrics say about one run, so far or at its end. */
    public record Run(String name, boolean running, Integer exitStatus, double durationSeconds,
            double startedEpochSeconds, boolean stoppedByOomguard, String verdict, RunSummary summary,
            List<String> actionSteps) {
    }

    private PromTextfile() {
    }

    /** The file's text. */
    public static String render(Run r) {
        StringBuilder b = new StringBuilder();
        String job = "job_name=\"" + escape(r.name()) + "\"";
        gauge(b, "oomguard_job_running", "1 while oomguard runs the job, 0 after.", job, r.running() ? 1 : 0);
        gauge(b, "oomguard_job_start_time_seconds", "When the latest run started, in seconds since the epoch.", job,
                r.startedEpochSeconds());
        gauge(b, "oomguard_job_duration_seconds", "How long the latest run has taken.", job, r.durationSeconds());
        if (r.exitStatus() != null) {
            gauge(b, "oomguard_job_exit_status", "oomguard's exit status for the latest run (137: ended for memory).",
                    job, r.exitStatus());
        }
        gauge(b, "oomguard_job_stopped_by_oomguard", "1 when oomguard stopped the job for memory.", job,
                r.stoppedByOomguard() ? 1 : 0);
        if (r.verdict() != null) {
            gauge(b, "oomguard_job_oom_kill", "1 for the verdict on a kill of the job's processes.",
                    job + ",verdict=\"" + escape(r.verdict()) + "\"", 1);
        }
        dev.oomguard.guard.JobPeak peak = r.summary().peak();
        if (peak.known() && !peak.lowerBoundOnly()) {
            gauge(b, "oomguard_job_peak_memory_bytes", "The job's peak memory: the largest of its processes'"
                    + " high-water marks, the tree's sampled RSS + swap and its own group's maximum.", job,
                    peak.kib() * 1024.0);
        }
        r.summary().lowestHeadroom().ifPresent(l -> {
            String labels = job + ",source=\"" + escape(l.limit().source().label()) + "\"";
            gauge(b, "oomguard_job_limit_bytes", "The limit that bound when the job came closest to it.", labels,
                    l.limit().capacity().bytes());
            gauge(b, "oomguard_job_min_headroom_bytes", "The least headroom seen on the binding limit.", labels,
                    l.limit().headroom().bytes());
        });
        r.summary().memoryStall().ifPresent(t -> {
            String labels = job + ",scope=\"" + (t.hostWide() ? "host" : "job_cgroup") + "\"";
            b.append("# HELP oomguard_job_memory_stall_seconds_total Time stalled on memory during the latest run"
                    + " (PSI; kind full: all tasks of the scope waited, some: at least one did; scope host counts"
                    + " every task on the machine).\n");
            b.append("# TYPE oomguard_job_memory_stall_seconds_total counter\n");
            b.append("oomguard_job_memory_stall_seconds_total{").append(labels).append(",kind=\"full\"} ")
                    .append(number(t.full().toMillis() / 1000.0)).append('\n');
            b.append("oomguard_job_memory_stall_seconds_total{").append(labels).append(",kind=\"some\"} ")
                    .append(number(t.some().toMillis() / 1000.0)).append('\n');
        });
        Map<String, Integer> steps = new TreeMap<>();
        for (String step : List.of("warn", "checkpoint", "terminate", "kill", "pause", "resume", "warn_outside")) {
            steps.put(step, 0);
        }
        r.actionSteps().forEach(s -> steps.merge(s, 1, Integer::sum));
        b.append("# HELP oomguard_job_actions_total Actions oomguard took in the latest run, by step.\n");
        b.append("# TYPE oomguard_job_actions_total counter\n");
        steps.forEach((step, n) -> b.append("oomguard_job_actions_total{").append(job).append(",step=\"")
                .append(escape(step)).append("\"} ").append(n).append('\n'));
        b.append("# HELP oomguard_job_partial_oom_kills_total Processes of the job OOM-killed while it went on.\n");
        b.append("# TYPE oomguard_job_partial_oom_kills_total counter\n");
        b.append("oomguard_job_partial_oom_kills_total{").append(job).append("} ")
                .append(r.summary().partialKills().size()).append('\n');
        return b.toString();
    }

    /** Replaces {@code file} with the metrics: written beside it, then renamed over it (see {@link OutputFile#replace}). */
    public static void write(Path file, Run r) throws IOException {
        OutputFile.replace(file, render(r).getBytes(StandardCharsets.UTF_8), false);
    }

    /** The default job name: the command's file name, as a label value. */
    public static String nameOf(String command) {
        String first = command.strip().split("\\s+", 2)[0];
        int slash = first.lastIndexOf('/');
        return first.substring(slash + 1);
    }

    private static void gauge(StringBuilder b, String name, String help, String labels, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** Label values escape backslash, double quote and newline. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
