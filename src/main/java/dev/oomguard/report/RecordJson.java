package dev.oomguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oomguard.guard.Action;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.Figures;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.OomCandidate;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.StallReading;
import dev.oomguard.sample.ThrottleLevel;
import dev.oomguard.sample.TreeTotals;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON objects of the run record (schema {@code oomguard.record/1}) and the pieces the JSON
 * summary shares with it: field names and nesting are fixed here, in one place. Pure: no I/O.
 */
final class RecordJson {
    static final String SCHEMA = "oomguard.record/1";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordJson() {
    }

    static ObjectNode header(RecordHeader h, Downsampling policy, int topProcesses) {
        ObjectNode n = line("header");
        n.put("schema", SCHEMA);
        n.put("version", h.version());
        n.put("command", h.command());
        n.put("host", h.host());
        n.put("kernel", h.kernel());
        n.put("oomguard_pid", h.oomguardPid());
        n.put("started", h.started().toString());
        n.put("interval_ms", h.interval().toMillis());
        n.put("dry_run", h.dryRun());
        ObjectNode settings = n.putObject("settings");
        h.settings().forEach(settings::put);
        n.set("limits", limits(h.limits()));
        n.put("top_processes", topProcesses);
        n.put("downsampling", policy.describe());
        return n;
    }

    static ObjectNode sample(Sample s, long tMillis, String wall, int topProcesses) {
        ObjectNode n = line("sample");
        n.put("tick", s.tick());
        n.put("t_ms", tMillis);
        n.put("wall", wall);
        n.set("binding", limit(s.binding()));
        n.set("tree", totals(s.totals()));
        ArrayNode top = n.putArray("top");
        s.tree().stream().sorted(Comparator.comparingLong(ProcessMemory::rssAndSwapKiB).reversed()
                .thenComparingInt(ProcessMemory::pid)).limit(topProcesses)
                .forEach(p -> top.addObject().put("pid", p.pid()).put("comm", p.comm())
                        .put("rss_kib", p.rssKiB()).put("swap_kib", p.swapKiB()));
        n.set("host", host(s.host()));
        ArrayNode throttles = n.putArray("throttles");
        for (ThrottleLevel t : s.throttles()) {
            throttles.addObject().put("cgroup", t.cgroup()).put("high_bytes", t.high().bytes())
                    .put("usage_bytes", t.usage().bytes());
        }
        ObjectNode kills = n.putObject("oom_kills");
        if (s.oomKills().host().isPresent()) {
            kills.put("host", s.oomKills().host().getAsLong());
        } else {
            kills.putNull("host");
        }
        ObjectNode cgroups = kills.putObject("cgroups");
        s.oomKills().cgroups().forEach(cgroups::put);
        if (s.stall().isPresent()) {
            StallReading r = s.stall().get();
            ObjectNode stall = n.putObject("stall").put("tree_major_faults", r.treeMajorFaults());
            if (r.psi().isPresent()) {
                StallReading.Psi p = r.psi().get();
                stall.put("psi_scope", p.scope() == StallReading.Scope.HOST ? "host" : "job_cgroup")
                        .put("psi_where", p.where()).put("some_total_us", p.someTotalMicros())
                        .put("full_total_us", p.fullTotalMicros());
            } else {
                stall.putNull("psi_scope");
            }
        } else {
            n.putNull("stall");
        }
        return n;
    }

    static ObjectNode event(String kind, String message, long tMillis, String wall) {
        ObjectNode n = line("event");
        n.put("t_ms", tMillis);
        n.put("wall", wall);
        n.put("kind", kind);
        n.put("message", message);
        return n;
    }

    /** The ladder's step as an event: kind {@code warn}, {@code checkpoint}, ... as {@code --notify} names them. */
    static ObjectNode action(Action a, long tMillis, String wall) {
        ObjectNode n = event(a.step().name().toLowerCase(Locale.ROOT), a.describe(), tMillis, wall);
        n.put("todo", a.todo());
        n.put("why", a.why());
        n.set("figures", figures(a.figures()));
        if (a.culprit().isPresent()) {
            OomCandidate c = a.culprit().get();
            n.putObject("culprit").put("pid", c.pid()).put("comm", c.comm()).put("oom_score", c.oomScore())
                    .put("in_tree", c.inTree()).put("rss_kib", c.rssKiB());
        } else {
            n.putNull("culprit");
        }
        return n;
    }

    static ObjectNode partialKill(PartialKill k, long tMillis, String wall) {
        ObjectNode n = event("partial_kill", k.describe(), tMillis, wall);
        n.set("process", partialKill(k));
        return n;
    }

    static ObjectNode partialKill(PartialKill k) {
        return NODES.objectNode().put("pid", k.process().pid()).put("comm", k.comm())
                .put("oom_kills_rise", k.oomKillsRise()).put("peak_rss_and_swap_kib", k.peakRssAndSwapKiB())
                .put("tick", k.tick()).put("text", k.describe());
    }

    /** A checkpoint request's end: kind {@code checkpoint_acknowledged}, {@code checkpoint_timeout} or {@code checkpoint_unanswered}. */
    static ObjectNode checkpoint(Checkpoint c, long tMillis, String wall) {
        String kind = switch (c.answer()) {
            case ACKNOWLEDGED -> "checkpoint_acknowledged";
            case TIMED_OUT -> "checkpoint_timeout";
            case UNANSWERED -> "checkpoint_unanswered";
        };
        ObjectNode n = event(kind, c.describe(java.time.ZoneId.systemDefault()), tMillis, wall);
        n.setAll(checkpoint(c));
        return n;
    }

    /** The fields of a checkpoint request, shared by the record's event and the summary's {@code checkpoints}. */
    static ObjectNode checkpoint(Checkpoint c) {
        ObjectNode n = NODES.objectNode();
        n.put("asked", c.askedAt().toString());
        n.put("used_percent", c.usedPercent().isPresent() ? Math.round(c.usedPercent().getAsDouble() * 10) / 10.0 : null);
        n.put("reason", c.reason());
        n.put("answer", c.answer().name().toLowerCase(Locale.ROOT));
        n.put("acknowledged", c.acknowledged());
        n.put("seconds_after", c.after().map(d -> d.toMillis() / 1000.0).orElse(null));
        n.put("how", c.how());
        n.put("text", c.describe(java.time.ZoneId.systemDefault()));
        return n;
    }

    static ObjectNode host(HostFacts h, long tMillis, String wall) {
        ObjectNode n = event("host", h.describe(), tMillis, wall);
        ObjectNode facts = n.putObject("host");
        h.machine().ifPresent(v -> facts.put("machine", v));
        h.cpuModel().ifPresent(v -> facts.put("cpu_model", v));
        h.cpus().ifPresent(v -> facts.put("cpus", v));
        h.memoryBytes().ifPresent(v -> facts.put("memory_bytes", v));
        h.os().ifPresent(v -> facts.put("os", v));
        h.kernel().ifPresent(v -> facts.put("kernel", v));
        return n;
    }

    static ObjectNode exit(RunEnd end, long tMillis, String wall, long samplesWritten, long ticksSeen) {
        ObjectNode n = line("exit");
        n.put("t_ms", tMillis);
        n.put("wall", wall);
        n.put("status", end.status());
        n.put("status_text", end.statusText());
        n.put("job_pid", end.jobPid());
        n.put("exit_code", end.exitCode());
        n.put("signal", end.signal());
        n.put("signal_name", end.signalName());
        n.put("stopped_by_oomguard", end.stoppedByOomguard());
        n.put("samples_written", samplesWritten);
        n.put("ticks_seen", ticksSeen);
        return n;
    }

    static ObjectNode figures(Figures f) {
        ObjectNode n = NODES.objectNode();
        n.put("tick", f.tick());
        n.set("binding", limit(f.binding()));
        n.put("growth_bytes_per_second", f.growthBytesPerSecond().isPresent()
                ? f.growthBytesPerSecond().getAsDouble() : null);
        n.put("seconds_to_exhaustion", f.timeToExhaustion().map(d -> d.toSeconds()).orElse(null));
        return n;
    }

    static ArrayNode limits(List<Limit> limits) {
        ArrayNode a = NODES.arrayNode();
        limits.forEach(l -> a.add(limit(l)));
        return a;
    }

    /** {@code source} is stable: {@code cgroup_v1}, {@code cgroup_v2}, {@code host}, {@code user}. */
    static ObjectNode limit(Limit l) {
        return NODES.objectNode().put("source", l.source().name().toLowerCase(Locale.ROOT))
                .put("description", l.description()).put("capacity_bytes", l.capacity().bytes())
                .put("headroom_bytes", l.headroom().bytes()).put("used_bytes", l.used().bytes())
                .put("used_percent", Math.round(l.percentUsed() * 10) / 10.0);
    }

    static ObjectNode totals(TreeTotals t) {
        return NODES.objectNode().put("processes", t.processes()).put("rss_kib", t.rssKiB())
                .put("swap_kib", t.swapKiB()).put("anon_kib", t.rssAnonKiB()).put("file_kib", t.rssFileKiB())
                .put("shmem_kib", t.rssShmemKiB()).put("pss_kib", t.pssKiB()).put("pss_processes", t.pssProcesses());
    }

    static ObjectNode host(MemInfo m) {
        return NODES.objectNode().put("mem_total_kib", m.memTotalKiB()).put("mem_available_kib", m.memAvailableKiB())
                .put("swap_total_kib", m.swapTotalKiB()).put("swap_free_kib", m.swapFreeKiB());
    }

    static ArrayNode processes(Map<Integer, String> byPid) {
        ArrayNode a = NODES.arrayNode();
        byPid.forEach((pid, comm) -> a.addObject().put("pid", pid).put("comm", comm));
        return a;
    }

    static JsonNode strings(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static ObjectNode line(String type) {
        return NODES.objectNode().put("type", type);
    }
}
