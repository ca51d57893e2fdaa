package dev.oomguard.kernellog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fields inside one report line (header, kill line, summary line), read into records. Pure. */
final class LineFields {
    private static final Pattern GFP = Pattern.compile("gfp_mask=(0x[0-9a-fA-F]+|\\d+)(?:\\(([^)]*)\\))?");
    private static final Pattern NODEMASK = Pattern.compile("nodemask=([^,\\s]*)");
    private static final Pattern ORDER = Pattern.compile("\\border=(-?\\d{1,9})");
    private static final Pattern OOM_ADJ = Pattern.compile("\\boom_adj=(-?\\d{1,9})");
    private static final Pattern OOM_SCORE_ADJ = Pattern.compile("\\boom_score_adj=(-?\\d{1,9})");
    private static final Pattern KILLED_FIELD = Pattern.compile("([a-z_-]+):(-?\\d{1,19})");
    private static final Pattern KILLED_UID = Pattern.compile("UID[: ](\\d{1,10})");

    private LineFields() {
    }

    static OomHeader header(String invoker, String rest) {
        Matcher g = GFP.matcher(rest);
        String mask = null;
        String flags = null;
        if (g.find()) {
            mask = g.group(1);
            flags = g.group(2);
        }
        Matcher n = NODEMASK.matcher(rest);
        return new OomHeader(invoker, mask, flags, intOrNull(ORDER, rest), intOrNull(OOM_SCORE_ADJ, rest),
                intOrNull(OOM_ADJ, rest), n.find() ? n.group(1) : null);
    }

    private static Integer intOrNull(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    static KilledProcess killed(Matcher m) {
        String tail = m.group(5);
        Long totalVm = null, anon = null, file = null, shmem = null, pgtables = null;
        Integer adj = null;
        Matcher f = KILLED_FIELD.matcher(tail);
        while (f.find()) {
            long v = f.group(2).startsWith("-") ? -num(f.group(2).substring(1)) : num(f.group(2));
            switch (f.group(1)) {
                case "total-vm" -> totalVm = v;
                case "anon-rss" -> anon = v;
                case "file-rss" -> file = v;
                case "shmem-rss" -> shmem = v;
                case "pgtables" -> pgtables = v;
                case "oom_score_adj" -> adj = (int) Math.max(-1000, Math.min(1000, v));
                default -> { }
            }
        }
        Integer uid = m.group(3) != null ? intOrNull(m.group(3)) : null;
        Matcher u = KILLED_UID.matcher(tail);
        if (uid == null && u.find()) {
            uid = intOrNull(u.group(1));
        }
        return new KilledProcess(m.group(1), Integer.parseInt(m.group(2)), m.group(4), uid, totalVm, anon, file,
                shmem, pgtables, adj, false);
    }

    static Constraint constraint(String body) {
        String kind = null, nodemask = null, cpuset = null, mems = null, oomMemcg = null, taskMemcg = null, task = null;
        Integer pid = null, uid = null;
        boolean global = false;
        for (String part : body.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                global |= part.strip().equals("global_oom");
                continue;
            }
            String v = part.substring(eq + 1);
            switch (part.substring(0, eq)) {
                case "constraint" -> kind = v;
                case "nodemask" -> nodemask = v;
                case "cpuset" -> cpuset = v;
                case "mems_allowed" -> mems = v;
                case "oom_memcg" -> oomMemcg = v;
                case "task_memcg" -> taskMemcg = v;
                case "task" -> task = v;
                case "pid" -> pid = intOrNull(v);
                case "uid" -> uid = intOrNull(v);
                default -> { }
            }
        }
        return new Constraint(kind, nodemask, cpuset, mems, oomMemcg, taskMemcg, task, pid, uid, global);
    }

    private static Integer intOrNull(String s) {
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Digits already checked by the pattern; clamps what does not fit a long. */
    static long num(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
