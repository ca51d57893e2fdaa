package dev.oomguard.proc;

import java.util.Optional;

/**
 * Where a process sits in the cgroup hierarchies, from {@code /proc/PID/cgroup}: the v1 line
 * {@code N:memory:/path} (controllers may be combined, {@code 4:memory,cpu:/x}) and the v2 line
 * {@code 0::/path}.
 */
public record CgroupPaths(Optional<String> v1Memory, Optional<String> v2) {
    public static Optional<CgroupPaths> read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "cgroup").map(text -> parse(text, fs.name("/proc/" + pid + "/cgroup")));
    }

    public static CgroupPaths parse(String text, String source) {
        String v1 = null;
        String v2 = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (first <= 0 || second < 0 || !line.substring(0, first).chars().allMatch(Character::isDigit)) {
                throw new Malformed(source, line, "expected 'ID:CONTROLLERS:/PATH'");
            }
            String controllers = line.substring(first + 1, second);
            String path = line.substring(second + 1);
            if (!path.startsWith("/")) {
                throw new Malformed(source, line, "path is not absolute");
            }
            if (line.startsWith("0::")) {
                v2 = path;
            } else if (java.util.Arrays.asList(controllers.split(",")).contains("memory")) {
                v1 = path;
            }
        }
        return new CgroupPaths(Optional.ofNullable(v1), Optional.ofNullable(v2));
    }
}
