package dev.oomguard.explain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oomguard.kernellog.KilledProcess;
import dev.oomguard.kernellog.MemInfo;
import dev.oomguard.kernellog.MemcgBlock;
import dev.oomguard.kernellog.MemcgCounter;
import dev.oomguard.kernellog.OomReport;
import dev.oomguard.kernellog.ParsedLog;
import dev.oomguard.kernellog.ReportTime;
import dev.oomguard.kernellog.SourceProblem;
import dev.oomguard.kernellog.TaskRow;
import dev.oomguard.proc.CgroupOomKills;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.List;

/**
 * The {@code explain --json} document, schema {@code oomguard.explain/1} (documented in
 * docs/explain.md). Field names and nesting are fixed here, in one place; the document is written
 * kill by kill, so its size in memory is one kill's, however many there are.
 */
public final class ExplanationJson {
    public static final String SCHEMA = "oomguard.explain/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final long pageKiB;

    public ExplanationJson(long pageKiB) {
        this.pageKiB = pageKiB;
    }

    public String render(String source, List<SourceProblem> problems, List<Explanation> kills) {
        StringWriter out = new StringWriter();
        write(out, source, problems, new ParsedLog(List.of(), List.of(), kills.size(), kills.size(), 0, 0), kills, null);
        return out.toString();
    }

    /**
     * Writes the document to {@code out}.
     *
     * @param source   what was read, or null when no kernel log source was readable
     * @param log      the parse's counts (found, matching, not kept), or null when nothing was read
     * @param counters what the counters say, when no kernel log was readable; else null
     */
    public void write(Writer out, String source, List<SourceProblem> problems, ParsedLog log, List<Explanation> kills,
            SinceBootKills counters) {
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("source", source);
            g.writeBooleanField("kernel_log_readable", source != null);
            g.writeArrayFieldStart("unreadable_sources");
            for (SourceProblem p : problems) {
                g.writeStartObject();
                g.writeStringField("source", p.source());
                g.writeStringField("reason", p.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            number(g, "reports_found", log == null ? null : log.reportsFound());
            number(g, "reports_matching", log == null ? null : log.reportsWanted());
            number(g, "reports_not_kept", log == null ? null : log.reportsDropped());
            if (counters != null) {
                g.writeObjectFieldStart("counters");
                number(g, "vmstat_oom_kill", counters.vmstatOomKills());
                g.writeArrayFieldStart("cgroups");
                for (CgroupOomKills.Count c : counters.cgroups()) {
                    g.writeStartObject();
                    g.writeStringField("path", c.cgroup());
                    g.writeNumberField("oom_kill", c.oomKills());
                    g.writeStringField("counter", c.counter());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeBooleanField("cgroups_complete", counters.cgroupsComplete());
                g.writeEndObject();
            } else {
                g.writeNullField("counters");
            }
            g.writeArrayFieldStart("kills");
            for (Explanation e : kills) {
                MAPPER.writeTree(g, kill(e));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JSON answer", e);
        }
    }

    private static void number(JsonGenerator g, String name, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    public ObjectNode kill(Explanation e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("verdict", e.verdict().jsonName());
        n.put("confidence", e.confidence().jsonName());
        n.put("pid", e.pid());
        n.put("comm", e.comm());
        n.put("when", e.when());
        n.put("summary", e.summary());
        strings(n.putArray("details"), e.details());
        strings(n.putArray("advice"), e.advice());
        strings(n.putArray("evidence"), e.evidence());
        strings(n.putArray("missing"), e.missing());
        OomReport r = e.report();
        n.set("report", r == null ? null : report(r));
        if (e.job() != null && !e.job().rows().isEmpty()) {
            ObjectNode job = n.putObject("job");
            job.put("rss_kib", e.job().rssKiB());
            job.put("swap_kib", e.job().swapKiB());
            ArrayNode rows = job.putArray("processes");
            for (TaskRow t : e.job().rows()) {
                rows.addObject().put("pid", t.pid()).put("name", t.name())
                        .put("rss_kib", t.rssPages() * pageKiB).put("swap_kib", t.swapPages() * pageKiB);
            }
        } else {
            n.putNull("job");
        }
        n.put("text", e.text());
        return n;
    }

    private ObjectNode report(OomReport r) {
        ObjectNode n = MAPPER.createObjectNode();
        ReportTime t = r.time();
        ObjectNode time = n.putObject("time");
        time.put("wall", t.wall().map(Object::toString).orElse(null));
        time.put("first_wall", t.firstWall() == null ? null : t.firstWall().toString());
        time.put("last_wall", t.lastWall() == null ? null : t.lastWall().toString());
        time.put("wall_basis", t.wall().isEmpty() ? "unknown" : t.wallExact() ? "logged" : "boot_time_plus_stamp");
        time.put("boot_seconds", t.bootSeconds().orElse(null));
        time.put("first_boot_seconds", t.firstMonoMicros() < 0 ? null : t.firstMonoMicros() / 1e6);
        time.put("first_kmsg_seq", t.firstSeq() < 0 ? null : t.firstSeq());
        time.put("last_kmsg_seq", t.lastSeq() < 0 ? null : t.lastSeq());
        if (r.header() != null) {
            n.putObject("invoker").put("comm", r.header().invoker()).put("pid", r.invokerPid())
                    .put("gfp_mask", r.header().gfpMask()).put("gfp_flags", r.header().gfpFlags())
                    .put("order", r.header().order()).put("oom_score_adj", r.header().oomScoreAdj())
                    .put("nodemask", r.header().nodemask());
        } else {
            n.putNull("invoker");
        }
        n.put("constraint", r.constraint() == null ? null : r.constraint().kind());
        if (r.selection() != null) {
            n.putObject("selected").put("pid", r.selection().pid()).put("comm", r.selection().comm())
                    .put("score", r.selection().score());
        } else {
            n.putNull("selected");
        }
        ArrayNode killed = n.putArray("killed");
        for (KilledProcess k : r.killed()) {
            boolean reaped = r.reaped().stream().anyMatch(x -> x.pid() == k.pid() && x.outcome().equals("reaped"));
            killed.addObject().put("pid", k.pid()).put("comm", k.comm()).put("uid", k.uid())
                    .put("total_vm_kib", k.totalVmKiB()).put("anon_rss_kib", k.anonRssKiB())
                    .put("file_rss_kib", k.fileRssKiB()).put("shmem_rss_kib", k.shmemRssKiB())
                    .put("oom_score_adj", k.oomScoreAdj()).put("reaped", reaped);
        }
        MemInfo m = r.memInfo();
        if (m != null) {
            n.putObject("memory").put("ram_kib", m.ramPages() == null ? null : m.ramPages() * pageKiB)
                    .put("total_swap_kib", m.totalSwapKiB()).put("free_swap_kib", m.freeSwapKiB())
                    .put("shmem_kib", m.pages("shmem").map(p -> p * pageKiB).orElse(null))
                    .put("hugetlb_kib", m.hugepagesKiB());
        } else {
            n.putNull("memory");
        }
        MemcgBlock c = r.memcg();
        if (c != null) {
            ObjectNode cg = n.putObject("cgroup");
            cg.put("path", c.cgroup().orElse(null));
            cg.put("task_path", c.taskCgroup());
            cg.put("owner", c.cgroup().map(p -> CgroupOwner.of(p).description()).orElse(null));
            ArrayNode counters = cg.putArray("counters");
            for (MemcgCounter x : c.counters()) {
                counters.addObject().put("kind", x.kind()).put("usage_kib", x.usageKiB())
                        .put("limit_kib", x.unlimited() ? null : x.limitKiB()).put("failcnt", x.failcnt());
            }
        } else {
            n.putNull("cgroup");
        }
        n.put("oom_group", r.oomGroup());
        n.put("callbacks_suppressed", r.callbacksSuppressed());
        n.put("task_count", r.tasks().size());
        return n;
    }

    private static void strings(ArrayNode a, Collection<String> values) {
        values.forEach(a::add);
    }
}
