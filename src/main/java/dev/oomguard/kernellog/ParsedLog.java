package dev.oomguard.kernellog;

import java.util.List;

/** Everything found in one log: the kernel's OOM reports and userspace OOM daemons' kills, in log order. */
public record ParsedLog(List<OomReport> reports, List<UserspaceKill> userspaceKills) {
    public ParsedLog {
        reports = List.copyOf(reports);
        userspaceKills = List.copyOf(userspaceKills);
    }
}
