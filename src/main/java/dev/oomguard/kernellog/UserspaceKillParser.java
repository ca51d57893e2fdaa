package dev.oomguard.kernellog;

import java.util.ArrayList;
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
    private final List<UserspaceKill> kills = new ArrayList<>();

    void accept(LogLine line) {
        String t = line.text();
        Matcher m;
        if (t.contains("sending SIG") && (m = EARLYOOM.matcher(t)).find()) {
            kills.add(new UserspaceKill("earlyoom", Integer.parseInt(m.group(2)), m.group(4), m.group(1),
                    ReportTime.NONE.with(line), t));
        } else if (t.contains(" due to ") && (m = OOMD.matcher(t)).find()) {
            kills.add(new UserspaceKill("systemd-oomd", -1, m.group(1), "SIGKILL", ReportTime.NONE.with(line), t));
        } else if (t.contains("SIG") && (m = NOHANG.matcher(t)).find()) {
            kills.add(new UserspaceKill("nohang", Integer.parseInt(m.group(2)), "", m.group(1),
                    ReportTime.NONE.with(line), t));
        }
    }

    List<UserspaceKill> kills() {
        return kills;
    }
}
