package dev.oomguard.explain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names what a cgroup path belongs to: a Slurm job, a container, a Kubernetes pod, a systemd unit. */
public final class CgroupOwner {
    private static final Pattern SLURM = Pattern.compile("/slurm[^/]*/uid_(\\d+)/job_(\\d+)(?:/step_([^/]+))?");
    private static final Pattern SLURM_V2 = Pattern.compile("/job_(\\d+)(?:/step_([^/]+))?");
    private static final Pattern DOCKER = Pattern.compile("(?:/docker/|docker-)([0-9a-f]{12})[0-9a-f]*");
    private static final Pattern CONTAINERD = Pattern.compile("(?:cri-containerd-|crio-|libpod-)([0-9a-f]{12})[0-9a-f]*");
    private static final Pattern POD = Pattern.compile("kubepods.*?pod([0-9a-f_-]{8,})");
    private static final Pattern UNIT = Pattern.compile("/([^/]+\\.(?:service|scope))(?:/|$)");

    /** What kind of owner; lets advice say {@code --mem} for Slurm and {@code MemoryMax=} for units. */
    public enum Kind { SLURM_JOB, CONTAINER, KUBERNETES_POD, SYSTEMD_UNIT, CGROUP }

    public record Owner(Kind kind, String description) {
    }

    private CgroupOwner() {
    }

    public static Owner of(String path) {
        if (path == null || path.isEmpty()) {
            return new Owner(Kind.CGROUP, "an unnamed cgroup");
        }
        Matcher m = SLURM.matcher(path);
        if (m.find()) {
            return new Owner(Kind.SLURM_JOB, "Slurm job " + m.group(2) + step(m.group(3)) + " (cgroup " + path + ")");
        }
        m = SLURM_V2.matcher(path);
        if (path.contains("slurm") && m.find()) {
            return new Owner(Kind.SLURM_JOB, "Slurm job " + m.group(1) + step(m.group(2)) + " (cgroup " + path + ")");
        }
        m = POD.matcher(path);
        if (m.find()) {
            Optional<String> container = container(path);
            return new Owner(Kind.KUBERNETES_POD, "Kubernetes pod " + m.group(1).replace('_', '-')
                    + container.map(c -> ", container " + c).orElse("") + " (cgroup " + path + ")");
        }
        Optional<String> container = container(path);
        if (container.isPresent()) {
            return new Owner(Kind.CONTAINER, "container " + container.get() + " (cgroup " + path + ")");
        }
        m = UNIT.matcher(path);
        String unit = null;
        while (m.find()) {
            unit = m.group(1);
        }
        if (unit != null) {
            return new Owner(Kind.SYSTEMD_UNIT, "systemd unit " + unit + " (cgroup " + path + ")");
        }
        return new Owner(Kind.CGROUP, "cgroup " + path);
    }

    private static Optional<String> container(String path) {
        Matcher m = DOCKER.matcher(path);
        if (m.find()) {
            return Optional.of(m.group(1));
        }
        m = CONTAINERD.matcher(path);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String step(String step) {
        return step == null ? "" : ", step " + step;
    }
}
