package dev.oomguard.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cgroup hierarchy mounted somewhere, from {@code /proc/self/mountinfo}. {@code root} is the part
 * of the hierarchy the mount shows (not "/" inside a container), so a path from
 * {@code /proc/PID/cgroup} maps to {@code mountPoint + (path - root)}.
 */
public record CgroupMount(CgroupVersion version, String mountPoint, String root) {
    public static final String PATH = "/proc/self/mountinfo";

    public static List<CgroupMount> read(ProcFs fs) {
        return parse(fs.read(PATH), fs.path(PATH).toString());
    }

    /** The v1 hierarchies with the memory controller and every cgroup2 mount, in file order. */
    public static List<CgroupMount> parse(String text, String source) {
        List<CgroupMount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (dash < 6 || f.length < dash + 4) {
                throw new Malformed(source, line, "expected 'ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - TYPE SOURCE SUPEROPTIONS'");
            }
            String type = f[dash + 1];
            String superOptions = f[dash + 3];
            if (type.equals("cgroup2")) {
                mounts.add(new CgroupMount(CgroupVersion.V2, unescape(f[4]), unescape(f[3])));
            } else if (type.equals("cgroup") && java.util.Arrays.asList(superOptions.split(",")).contains("memory")) {
                mounts.add(new CgroupMount(CgroupVersion.V1, unescape(f[4]), unescape(f[3])));
            }
        }
        return mounts;
    }

    public static Optional<CgroupMount> first(List<CgroupMount> mounts, CgroupVersion version) {
        return mounts.stream().filter(m -> m.version == version).findFirst();
    }

    /**
     * The directory that shows cgroup {@code path}, through the mounts that are visible: a mount
     * listed later on the same mount point hides the earlier one (a container runtime binds the
     * container's own group over {@code /sys/fs/cgroup/memory}). Of those that show the path, the
     * one whose root is nearest to it. Empty when no visible mount shows it (an ancestor above a
     * container's own group).
     */
    public static Optional<String> directoryOf(List<CgroupMount> mounts, CgroupVersion version, String path) {
        CgroupMount best = null;
        for (int i = 0; i < mounts.size(); i++) {
            CgroupMount m = mounts.get(i);
            if (m.version != version || m.directoryOf(path).isEmpty()) {
                continue;
            }
            boolean hidden = false;
            for (int j = i + 1; j < mounts.size() && !hidden; j++) {
                hidden = mounts.get(j).mountPoint.equals(m.mountPoint);
            }
            if (!hidden && (best == null || m.root.length() > best.root.length())) {
                best = m;
            }
        }
        return best == null ? Optional.empty() : best.directoryOf(path);
    }

    /** The directory of a cgroup path in this mount, or empty when the mount does not show it. */
    public Optional<String> directoryOf(String cgroupPath) {
        String inside;
        if (root.equals("/")) {
            inside = cgroupPath;
        } else if (cgroupPath.equals(root) || cgroupPath.startsWith(root + "/")) {
            inside = cgroupPath.substring(root.length());
        } else {
            return Optional.empty();
        }
        String dir = mountPoint + (inside.equals("/") ? "" : inside);
        return Optional.of(dir.isEmpty() ? "/" : dir);
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
