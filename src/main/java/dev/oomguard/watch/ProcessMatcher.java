package dev.oomguard.watch;

import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the job for {@code oomguard watch --name REGEX}: the processes whose command name or
 * command line contains a match (as {@code pgrep -f} would), leaving out oomguard itself and its
 * ancestors (whose command lines hold the pattern too) and kernel threads. A match whose ancestor
 * also matches is part of that one's tree (an R master's forked workers), so only the topmost
 * matches count: the answer must be exactly one of those.
 */
public final class ProcessMatcher {
    /** What is known of one process for matching. */
    public record Candidate(int pid, int ppid, String comm, String cmdline) {
        public String describe() {
            String line = cmdline.isBlank() ? "[" + comm + "]" : cmdline;
            return pid + " (" + (line.length() > 60 ? line.substring(0, 57) + "..." : line) + ")";
        }
    }

    private ProcessMatcher() {
    }

    /** The topmost matching processes, by PID. */
    public static List<Candidate> match(Pattern pattern, Collection<Candidate> all, Set<Integer> excluded) {
        Map<Integer, Candidate> byPid = new HashMap<>();
        for (Candidate c : all) {
            byPid.put(c.pid(), c);
        }
        Set<Integer> matching = new HashSet<>();
        for (Candidate c : all) {
            boolean kernelThread = c.cmdline().isEmpty();
            if (!kernelThread && !excluded.contains(c.pid())
                    && (pattern.matcher(c.comm()).find() || pattern.matcher(c.cmdline()).find())) {
                matching.add(c.pid());
            }
        }
        List<Candidate> top = new ArrayList<>();
        for (int pid : matching) {
            if (!hasMatchingAncestor(pid, matching, byPid)) {
                top.add(byPid.get(pid));
            }
        }
        top.sort(java.util.Comparator.comparingInt(Candidate::pid));
        return top;
    }

    /** {@code pid} and its ancestors up to PID 1, as far as they can be seen. */
    public static Set<Integer> selfAndAncestors(int pid, Collection<Candidate> all) {
        Map<Integer, Candidate> byPid = new HashMap<>();
        for (Candidate c : all) {
            byPid.put(c.pid(), c);
        }
        Set<Integer> out = new HashSet<>();
        int p = pid;
        while (p > 0 && out.add(p)) {
            Candidate c = byPid.get(p);
            p = c == null ? 0 : c.ppid();
        }
        return out;
    }

    /** Every live process in {@code fs}, skipping those that vanish while being read. */
    public static List<Candidate> scan(ProcFs fs) {
        List<Candidate> out = new ArrayList<>();
        for (int pid : fs.pids()) {
            try {
                PidStat.read(fs, pid).filter(s -> !s.isDead()).ifPresent(s -> out.add(new Candidate(pid, s.ppid(),
                        s.comm(), fs.readProcess(pid, "cmdline").map(WatchedProcess::joinArgs).orElse(""))));
            } catch (RuntimeException e) {
                // gone or unreadable: not a candidate
            }
        }
        return out;
    }

    /** The one-line answer when the match is not exactly one process. */
    public static String problem(String regex, List<Candidate> matches) {
        if (matches.isEmpty()) {
            return "--name '" + regex + "' matches no process (oomguard and its callers aside); see what runs with"
                    + " 'ps -eo pid,args'";
        }
        StringBuilder sb = new StringBuilder("--name '" + regex + "' matches " + matches.size() + " processes: ");
        for (int i = 0; i < matches.size() && i < 8; i++) {
            sb.append(i == 0 ? "" : ", ").append(matches.get(i).describe());
        }
        if (matches.size() > 8) {
            sb.append(", ...");
        }
        return sb.append("; make the pattern narrower or give --pid").toString();
    }

    private static boolean hasMatchingAncestor(int pid, Set<Integer> matching, Map<Integer, Candidate> byPid) {
        Set<Integer> seen = new HashSet<>();
        Candidate c = byPid.get(pid);
        while (c != null && c.ppid() > 0 && seen.add(c.pid())) {
            if (matching.contains(c.ppid())) {
                return true;
            }
            c = byPid.get(c.ppid());
        }
        return false;
    }
}
