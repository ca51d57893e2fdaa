package dev.oomguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.ExplanationJson;
import dev.oomguard.explain.ReportExplainer;
import dev.oomguard.files.OutputFile;
import dev.oomguard.guard.Action;
import dev.oomguard.guard.JobPeak;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The JSON summary ({@code --summary-json FILE}, schema {@code oomguard.summary/1}): what the
 * summary on stderr says, as one document for workflow managers, plus the explanation verdicts.
 * Written atomically: a reader sees the previous file or the whole new one, never a part.
 */
public final class SummaryJson {
    public static final String SCHEMA = "oomguard.summary/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SummaryJson() {
    }

    /**
     * The summary document. {@code facts} is what {@link RunSummaryText} is given; its lines (for
     * the advice and the {@code text} field) come from there, so the two never disagree.
     */
    public static ObjectNode build(RunSummaryText.Facts facts, RunSummary summary, RunEnd end,
            List<Explanation> explanations) {
        ObjectNode n = NODES.objectNode();
        n.put("schema", SCHEMA);
        n.put("command", facts.command());
        n.put("status", end.status());
        n.put("status_text", facts.status());
        n.put("job_pid", end.jobPid());
        n.put("exit_code", end.exitCode());
        n.put("signal", end.signal());
        n.put("signal_name", end.signalName());
        n.put("wall_time_ms", facts.wallTime().toMillis());
        n.put("stopped_by_oomguard", end.stoppedByOomguard());
        n.put("ended_for_memory", facts.endedForMemory());
        n.put("monitoring_failed", facts.monitoringFailed());
        n.put("ticks", summary.ticks());
        if (summary.treePeak().isPresent()) {
            RunSummary.TreePeak p = summary.treePeak().get();
            n.putObject("peak_tree").put("processes", p.processes()).put("rss_kib", p.rssKiB())
                    .put("swap_kib", p.swapKiB()).put("tick", p.tick());
        } else {
            n.putNull("peak_tree");
        }
        n.set("peak", peak(summary.peak()));
        if (summary.unmeasuredBoundKiB().isPresent()) {
            n.put("peak_upper_bound_kib", summary.unmeasuredBoundKiB().getAsLong());
        } else {
            n.putNull("peak_upper_bound_kib");
        }
        List<RunSummary.ProcessPeak> peaks = summary.processPeaks();
        if (peaks.isEmpty()) {
            n.putNull("largest_process");
        } else {
            RunSummary.ProcessPeak top = peaks.get(0);
            n.putObject("largest_process").put("pid", top.process().pid()).put("comm", top.comm())
                    .put("rss_kib", top.rssKiB()).put("swap_kib", top.swapKiB()).put("tick", top.tick());
        }
        if (summary.lowestHeadroom().isPresent()) {
            RunSummary.LowestHeadroom low = summary.lowestHeadroom().get();
            n.set("binding_limit", RecordJson.limit(low.limit()).put("tick", low.tick())
                    .put("tree_kib", low.treeKiB()));
        } else {
            n.putNull("binding_limit");
        }
        if (summary.memoryStall().isPresent()) {
            var t = summary.memoryStall().get();
            n.putObject("memory_stall").put("stalled_ms", t.stalled().toMillis()).put("covered_ms", t.covered().toMillis())
                    .put("stalled_percent", Math.round(t.percent() * 10) / 10.0).put("source", t.source())
                    .put("psi_full_ms", t.full().toMillis()).put("psi_some_ms", t.some().toMillis())
                    .put("host_wide", t.hostWide()).put("tree_major_faults", t.treeMajorFaults());
        } else {
            n.putNull("memory_stall");
        }
        ObjectNode bound = n.putObject("binding_ticks");
        summary.bindingTicks().forEach(bound::put);
        ArrayNode actions = n.putArray("actions");
        for (Action a : summary.actions()) {
            ObjectNode o = actions.addObject();
            o.put("kind", a.step().name().toLowerCase(Locale.ROOT));
            o.put("todo", a.todo());
            o.put("why", a.why());
            o.set("figures", RecordJson.figures(a.figures()));
        }
        n.set("action_lines", RecordJson.strings(facts.actions()));
        ArrayNode checkpoints = n.putArray("checkpoints");
        facts.checkpoints().forEach(c -> checkpoints.add(RecordJson.checkpoint(c)));
        ArrayNode partial = n.putArray("partial_kills");
        for (PartialKill k : summary.partialKills()) {
            if (k.process().pid() != end.jobPid()) {
                partial.add(RecordJson.partialKill(k));
            }
        }
        n.set("partial_kill_lines", RecordJson.strings(facts.partialKills()));
        ExplanationJson json = new ExplanationJson(ReportExplainer.DEFAULT_PAGE_KIB);
        n.put("verdict", explanations.isEmpty() ? null : explanations.get(0).verdict().jsonName());
        ArrayNode ex = n.putArray("explanations");
        explanations.forEach(e -> ex.add(json.kill(e)));
        List<String> lines = RunSummaryText.lines(facts, summary);
        n.put("advice", lines.stream().filter(l -> l.startsWith("  advice: "))
                .map(l -> l.substring("  advice: ".length())).findFirst().orElse(null));
        n.set("notes", RecordJson.strings(facts.notes()));
        n.put("text", String.join("\n", lines) + "\n");
        return n;
    }

    /**
     * {@code {"kib": 110444, "basis": "process_hwm", "basis_text": "...", "process_hwm_kib": ...,
     * "process_hwm_pid": ..., "reaped_maxrss_kib": ..., "tree_sum_kib": ..., "group_max_kib": ...,
     * "group_max_file": ...}}: the peak, what it is, and every figure it was taken from (null when
     * not known). Null when no figure is known at all.
     */
    static com.fasterxml.jackson.databind.JsonNode peak(JobPeak p) {
        if (!p.known()) {
            return NODES.nullNode();
        }
        ObjectNode o = NODES.objectNode();
        o.put("kib", p.kib());
        o.put("basis", p.basis().get().name().toLowerCase(Locale.ROOT));
        o.put("basis_text", p.basis().get().words());
        o.put("lower_bound_only", p.lowerBoundOnly());
        putKnown(o, "tree_sum_kib", p, JobPeak.Basis.TREE_SUM);
        putKnown(o, "process_hwm_kib", p, JobPeak.Basis.PROCESS_HWM);
        if (p.largestProcess().isPresent()) {
            o.put("process_hwm_pid", p.largestProcess().get().process().pid());
            o.put("process_hwm_comm", p.largestProcess().get().comm());
        }
        putKnown(o, "reaped_maxrss_kib", p, JobPeak.Basis.REAPED_MAXRSS);
        putKnown(o, "group_max_kib", p, JobPeak.Basis.GROUP_MAX);
        o.put("group_max_file", p.group().map(JobPeak.GroupPeak::file).orElse(null));
        return o;
    }

    private static void putKnown(ObjectNode o, String field, JobPeak p, JobPeak.Basis b) {
        long v = p.kibOf(b);
        if (v > 0) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    /** Renders and writes the summary atomically to {@code file}. */
    public static void write(Path file, RunSummaryText.Facts facts, RunSummary summary, RunEnd end,
            List<Explanation> explanations) throws IOException {
        writeAtomically(file, render(build(facts, summary, end, explanations)));
    }

    public static String render(ObjectNode summary) {
        try {
            return MAPPER.writeValueAsString(summary) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /**
     * Written beside {@code file}, synced, and renamed over it (see {@link OutputFile#replace}).
     *
     * @throws IOException naming {@code file}, in words
     */
    static void writeAtomically(Path file, String content) throws IOException {
        OutputFile.replace(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }
}
