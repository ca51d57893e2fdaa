package dev.oomguard.sample;

import java.util.OptionalInt;
import java.util.Set;

/**
 * Which processes make up the job: the root PIDs and all their descendants, plus, when the
 * supervisor is a child subreaper, the children it adopted (orphans of the job get the
 * supervisor as parent) except those in the supervisor's own process group (its own helpers).
 *
 * <pre>TreeSpec.of(jobPid).adoptedBy(supervisorPid)</pre>
 */
public record TreeSpec(Set<Integer> rootPids, OptionalInt adopterPid) {
    public TreeSpec {
        rootPids = Set.copyOf(rootPids);
        if (rootPids.isEmpty()) {
            throw new IllegalArgumentException("a tree needs at least one root PID");
        }
        if (rootPids.stream().anyMatch(p -> p <= 0)) {
            throw new IllegalArgumentException("not a PID in " + rootPids);
        }
    }

    public static TreeSpec of(int... rootPids) {
        return new TreeSpec(java.util.Arrays.stream(rootPids).boxed().collect(java.util.stream.Collectors.toSet()),
                OptionalInt.empty());
    }

    /** Also count children of {@code supervisorPid} that are not in its process group. */
    public TreeSpec adoptedBy(int supervisorPid) {
        if (supervisorPid <= 0) {
            throw new IllegalArgumentException("not a PID: " + supervisorPid);
        }
        return new TreeSpec(rootPids, OptionalInt.of(supervisorPid));
    }
}
