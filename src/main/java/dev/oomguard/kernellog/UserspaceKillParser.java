package dev.oomguard.kernellog;

import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises the kill lines of earlyoom, nohang and systemd-oomd. */
final class UserspaceKillParser {
    private static final Pattern EARLYOOM = Pattern.compile(
            "sending (SIG[A-Z]+) to process (\\d{1,9}) uid (\\d{1,10}) \"(.*?)\"");
    private static final Pattern OOMD = Pattern.compile("Killed (\\S+) due to (memory pressure|swap used)");
    private static final Pattern NOHANG = Pattern.compile(
            "(?i)(?:nohang|implement(?:ing)? a corrective action).*?(SIG[A-Z]+).*?\\bpid:? (\\d{1,9})");
    private final ArrayDeque<UserspaceKill> kills = new ArrayDeque<>();
    private final int max;
    private long dropped;

    UserspaceKillParser(int max) {
        this.max = max;
    }

    /** Lines are kept for quoting, at most 400 characters each: memory stays bounded. */
    private static String quoted(String t) {
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }

    private void add(UserspaceKill k) {
        kills.addLast(k);
        if (kills.size() > max) {
            kills.removeFirst();
            dropped++;
        }
    }

    void accept(LogLine line) {
        String t = line.text();
        Matcher m;
        if (t.contains("sending SIG") && (m = EARLYOOM.matcher(t)).find()) {
            add(new UserspaceKill("earlyoom", Integer.parseInt(m.group(2)), m.group(4), m.group(1),
                    ReportTime.NONE.with(line), quoted(t)));
        } else if (t.contains(" due to ") && (m = OOMD.matcher(t)).find()) {
            add(new UserspaceKill("systemd-oomd", -1, m.group(1), "SIGKILL", ReportTime.NONE.with(line), quoted(t)));
        } else if (t.contains("SIG") && (m = NOHANG.matcher(t)).find()) {
            add(new UserspaceKill("nohang", Integer.parseInt(m.group(2)), "", m.group(1),
                    ReportTime.NONE.with(line), quoted(t)));
        }
    }

    List<UserspaceKill> kills() {
        return List.copyOf(kills);
    }

    /** Kills not kept (the oldest), to bound memory. */
    long dropped() {
        return dropped;
    }
}
