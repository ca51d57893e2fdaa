package dev.oomguard.proc;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The memory cgroups whose OOM-kill counter is above zero: v1 {@code memory.oom_control oom_kill},
 * v2 {@code memory.events oom_kill}. World-readable, so it says where the kernel killed even when
 * the kernel log is not readable. The walk is bounded (depth and number of groups).
 */
public final class CgroupOomKills {
    /** A cgroup with OOM kills: its path in the hierarchy, the count and the file it came from. */
    public record Count(String cgroup, long oomKills, String counter) {
        public Count {
            if (oomKills < 1) {
                throw new IllegalArgumentException("a cgroup without kills is not listed: " + oomKills);
            }
        }
    }

    /** What the walk found, and whether it looked at every group. */
    public record Census(List<Count> counts, boolean complete) {
        public Census {
            counts = List.copyOf(counts);
        }
    }

    private static final int MAX_DEPTH = 8;
    private static final int MAX_GROUPS = 20_000;

    private CgroupOomKills() {
    }

    public static Census read(ProcFs fs) {
        List<CgroupMount> mounts;
        try {
            mounts = CgroupMount.read(fs);
        } catch (RuntimeException e) {
            return new Census(List.of(), false);
        }
        List<Count> out = new ArrayList<>();
        boolean[] complete = {true};
        int[] seen = {0};
        for (CgroupMount m : mounts) {
            String file = m.version() == CgroupVersion.V1 ? "memory.oom_control" : "memory.events";
            Path top = fs.path(m.mountPoint());
            try {
                Files.walkFileTree(top, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                        new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                                if (++seen[0] > MAX_GROUPS) {
                                    complete[0] = false;
                                    return FileVisitResult.TERMINATE;
                                }
                                Path counter = dir.resolve(file);
                                try {
                                    OptionalLong kills = parse(Files.readString(counter));
                                    if (kills.isPresent() && kills.getAsLong() > 0) {
                                        String rel = top.relativize(dir).toString();
                                        String root = m.root().equals("/") ? "" : m.root();
                                        String path = rel.isEmpty() ? (root.isEmpty() ? "/" : root) : root + "/" + rel;
                                        out.add(new Count(path, kills.getAsLong(), file + " oom_kill"));
                                    }
                                } catch (IOException | RuntimeException e) {
                                    // not a memory cgroup (v2 without the controller), or gone meanwhile
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFileFailed(Path f, IOException e) {
                                complete[0] = false;
                                return FileVisitResult.CONTINUE;
                            }
                        });
            } catch (IOException e) {
                complete[0] = false;
            }
        }
        return new Census(out, complete[0]);
    }

    /** {@code oom_kill N} from memory.oom_control or memory.events text. */
    static OptionalLong parse(String text) {
        Map<String, Long> values = KeyedValues.parse(text, "oom_kill counter", ' ', null);
        Long v = values.get("oom_kill");
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
