package dev.oomguard.trigger;

import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.guard.CheckpointLevel;
import dev.oomguard.guard.PollPeriod;
import dev.oomguard.guard.Seen;
import dev.oomguard.guard.TriggerLevels;
import dev.oomguard.proc.CgroupMemory;
import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.Limits;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.sample.Sample;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * What wakes the guard between full samples, on a thread of its own that owns every descriptor:
 * cgroup v1 usage thresholds ({@code cgroup.event_control} + eventfd) at the levels of the
 * ladder's next steps, re-armed after each full sample; the v1 {@code memory.oom_control}
 * notification and v2 {@code memory.events} (inotify), which arrive just after a kill; and, where
 * the kernel offers no threshold (the host's MemAvailable, cgroup v2, thresholds refused), adaptive
 * polling of one cheap aggregate, closing in on the next level. A level crossed goes to the
 * {@link Handler} at once, with the reading; everything else asks for a full sample now.
 */
public final class Triggers implements AutoCloseable {
    /** The watch loop's side. Called on the trigger thread. */
    public interface Handler {
        /** The use may have crossed a level: {@code crossing} has the fresh reading. */
        void crossed(Crossing crossing);

        /** Something a full sample should look at now (an OOM kill, a cgroup event). */
        void sampleNow(String why);
    }

    /** One cheap reading that moves byte for byte with the job's use of the binding limit. */
    public interface Gauge {
        OptionalLong read();

        String describe();

        /** How the reflex can read this gauge itself, where it has no kernel threshold. */
        default Optional<Reflex.Polled> polled() {
            return Optional.empty();
        }
    }

    /** A fresh reading of {@code gauge} and the full sample's reading it is compared with. */
    public record Crossing(TriggerLevels.Base base, long baseNanos, long fileNow, long nowNanos, Gauge gauge, Seen seen) {
        /** The growth between the full sample and this reading, in bytes per second. */
        public double bytesPerSecondSinceBase() {
            long dt = nowNanos - baseNanos;
            return dt <= 0 ? 0 : (fileNow - base.fileBytes()) / (dt / 1e9);
        }
    }

    enum Route { THRESHOLDS, POLL, NONE }

    /** {@code checkpoint}: the checkpoint level in the gauge's bytes, with the flag file's text. */
    private record Plan(Route route, Gauge gauge, String thresholdDir, TriggerLevels.Base base, long baseNanos,
            List<Long> fileLevels, boolean ownCounter, Optional<CheckpointLevel> checkpoint) {
        Plan withRoute(Route r) {
            return new Plan(r, gauge, thresholdDir, base, baseNanos, fileLevels, ownCounter, checkpoint);
        }

        /** The same route and gauge, armed from another reading. */
        Plan from(TriggerLevels.Base b, long nanos, List<Long> usedLevels, Optional<CheckpointLevel> cp) {
            return new Plan(route, gauge, thresholdDir, b, nanos, map(b, usedLevels, ownCounter), ownCounter,
                    map(b, cp, ownCounter));
        }

        static List<Long> map(TriggerLevels.Base b, List<Long> usedLevels, boolean ownCounter) {
            return usedLevels.stream().map(u -> map(b, u, ownCounter)).toList();
        }

        static Optional<CheckpointLevel> map(TriggerLevels.Base b, Optional<CheckpointLevel> cp, boolean ownCounter) {
            return cp.map(c -> c.at(map(b, c.usedBytes(), ownCounter)));
        }

        static long map(TriggerLevels.Base b, long usedLevel, boolean ownCounter) {
            return ownCounter ? b.fileLevelAtMost(usedLevel) : b.fileLevel(usedLevel);
        }
    }

    private final ProcFs fs;
    private final KernelEvents kernel;
    private final Consumer<String> say;
    private final Consumer<String> detail;
    private final LongSupplier clock;
    private final Optional<String> ownGroupDir;
    private final PollPeriod pollPeriod;
    private final List<CgroupMount> mounts;
    private final Optional<Reflex> reflex;
    private Handler handler;
    private volatile Plan pending;
    private volatile boolean running;
    private Thread thread;
    // Owned by the trigger thread.
    private volatile Plan current;
    private int wakeFd = -1;
    private int thresholdFd = -1;
    private List<Long> registered = List.of();
    private int oomFd = -1;
    private int inotifyFd = -1;
    private boolean thresholdsRefused;
    private volatile String described = "";
    private long lastPollValue;
    private long lastPollNanos;
    private double polledBytesPerSecond = Double.NaN;
    private long nextPollNanos;

    /**
     * @param kernel      empty where libc cannot be loaded: then only polling is left
     * @param ownGroupDir the v1 memory cgroup made for the job (--memory-max), if any: its usage
     *                    follows the job's growth whatever limit binds
     */
    public Triggers(ProcFs fs, Optional<KernelEvents> kernel, Consumer<String> say, Consumer<String> detail,
            LongSupplier clock, Optional<String> ownGroupDir, Duration maxPoll) {
        this(fs, kernel, say, detail, clock, ownGroupDir, maxPoll, Optional.empty());
    }

    /**
     * @param reflex started already: armed at the checkpoint level wherever thresholds protect the
     *               job, so the request goes out on the kernel's wake-up alone
     */
    public Triggers(ProcFs fs, Optional<KernelEvents> kernel, Consumer<String> say, Consumer<String> detail,
            LongSupplier clock, Optional<String> ownGroupDir, Duration maxPoll, Optional<Reflex> reflex) {
        this.reflex = reflex;
        this.fs = fs;
        this.kernel = kernel.orElse(null);
        this.say = say;
        this.detail = detail;
        this.clock = clock;
        this.ownGroupDir = ownGroupDir;
        this.pollPeriod = PollPeriod.standard(maxPoll.compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500) : maxPoll);
        List<CgroupMount> m;
        try {
            m = CgroupMount.read(fs);
        } catch (RuntimeException e) {
            m = List.of();
        }
        this.mounts = m;
        warm();
    }

    /** The first native calls are slow (JNA binds them): make them now, not during a race. */
    private void warm() {
        if (kernel == null) {
            return;
        }
        try {
            int fd = kernel.eventfd();
            kernel.signal(fd);
            kernel.poll(new int[] {fd}, new boolean[1], 0);
            kernel.drainEventfd(fd);
            kernel.close(fd);
        } catch (KernelEvents.Failure e) {
            // reported when it matters, at start
        }
    }

    /** Starts the trigger thread for the job {@code jobPid}; notifications of kills are set up here. */
    public void start(int jobPid, Handler h) {
        this.handler = h;
        if (kernel != null) {
            try {
                wakeFd = kernel.eventfd();
            } catch (KernelEvents.Failure e) {
                detail.accept("no eventfd (" + e.getMessage() + "): the guard polls");
            }
        }
        if (wakeFd >= 0) {
            watchKills(jobPid);
        }
        running = true;
        thread = new Thread(this::loop, "oomguard-trigger");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called on the watch thread: full samples yield the CPU to the trigger thread. */
    public void yieldToTriggers() {
        if (kernel != null) {
            kernel.niceCallingThread(10);
        }
    }

    /**
     * Just before each full sample (on the watch thread): a reading of the current gauge, paired
     * with the sample afterwards. The sample reads its cgroup figures after the tree walk, so a
     * growing job has grown meanwhile: this earlier reading errs on the side of levels firing early.
     */
    public void beforeSample() {
        Plan p = current;
        if (p != null && p.gauge() != null) {
            long at = clock.getAsLong();
            OptionalLong r = p.gauge().read();
            preSample = r.isPresent() ? new Reading(p.gauge().describe(), r.getAsLong(), at) : null;
        }
    }

    private record Reading(String gauge, long value, long nanos) {
    }

    private volatile Reading preSample;

    /**
     * After each full sample (on the watch thread): the levels at which the ladder's next steps
     * fire, in bytes used on the binding limit. Returns the time to the next full sample.
     */
    public Duration rearm(Sample sample, List<Long> usedLevels, Duration interval) {
        return rearm(sample, usedLevels, Optional.empty(), interval);
    }

    /** As {@link #rearm(Sample, List, Duration)}, with the checkpoint level for the reflex. */
    public Duration rearm(Sample sample, List<Long> usedLevels, Optional<CheckpointLevel> checkpoint, Duration interval) {
        Limit b = sample.binding();
        Plan p = plan(sample, usedLevels, checkpoint);
        pending = p;
        if (kernel != null && wakeFd >= 0) {
            kernel.signal(wakeFd);
        }
        if (p.route() != Route.NONE) {
            return interval;
        }
        // No cheap aggregate: the tree walk itself closes in on the next level.
        long gap = usedLevels.isEmpty() ? Long.MAX_VALUE : usedLevels.get(0) - b.used().bytes();
        Duration min = interval.compareTo(Duration.ofMillis(100)) < 0 ? interval : Duration.ofMillis(100);
        return new PollPeriod(min, interval, 2.0 * (1L << 30)).next(gap, Double.NaN);
    }

    private Plan plan(Sample sample, List<Long> usedLevels, Optional<CheckpointLevel> checkpoint) {
        Limit b = sample.binding();
        Optional<String> dir = cgroupDirectory(b);
        Route route;
        Gauge gauge;
        String thresholdDir = null;
        if (b.source() == LimitSource.CGROUP_V1 && dir.isPresent()) {
            thresholdDir = dir.get();
            gauge = fileGauge(dir.get() + "/" + v1UsageFile(dir.get(), b));
            route = Route.THRESHOLDS;
        } else if (b.source() == LimitSource.CGROUP_V2 && dir.isPresent()) {
            gauge = fileGauge(dir.get() + "/memory.current");
            route = Route.POLL;
        } else if (ownGroupDir.isPresent()) {
            thresholdDir = ownGroupDir.get();
            gauge = fileGauge(ownGroupDir.get() + "/memory.usage_in_bytes");
            route = Route.THRESHOLDS;
        } else if (b.source() == LimitSource.HOST) {
            gauge = hostGauge();
            route = Route.POLL;
        } else {
            return new Plan(Route.NONE, null, null, null, 0, List.of(), false, Optional.empty());
        }
        long now = clock.getAsLong();
        OptionalLong reading = gauge.read();
        if (reading.isEmpty()) {
            return new Plan(Route.NONE, null, null, null, 0, List.of(), false, Optional.empty());
        }
        TriggerLevels.Base base;
        Optional<TriggerLevels.Base> own = dir.isPresent() ? ownBase(b, dir.get(), thresholdDir != null && gauge.describe().endsWith("memsw.usage_in_bytes"),
                sample) : Optional.empty();
        if (own.isPresent()) {
            base = own.get();
            now = clock.getAsLong();
        } else {
            Reading pre = preSample;
            long value = reading.getAsLong();
            if (pre != null && pre.gauge().equals(gauge.describe())) {
                value = Math.min(value, pre.value());
                now = pre.nanos();
            }
            base = new TriggerLevels.Base(b, value);
        }
        boolean ownCounter = b.source() == LimitSource.CGROUP_V1 && dir.isPresent()
                || b.source() == LimitSource.CGROUP_V2 && dir.isPresent() || b.source() == LimitSource.HOST && route == Route.POLL;
        return new Plan(route, gauge, thresholdDir, base, now, Plan.map(base, usedLevels, ownCounter), ownCounter,
                Plan.map(base, checkpoint, ownCounter));
    }

    /**
     * After a crossing (on the trigger thread, from the handler): the next levels, armed from the
     * crossing's reading, so the growth to the next crossing is measured from here.
     */
    public void rearmFrom(Crossing c, Limit moved, List<Long> usedLevels, Optional<CheckpointLevel> checkpoint) {
        Plan p = current;
        if (p == null || p.gauge() == null || p.gauge() != c.gauge()) {
            return;
        }
        pending = p.from(new TriggerLevels.Base(moved, c.fileNow()), c.nowNanos(), usedLevels, checkpoint);
        if (kernel != null && wakeFd >= 0) {
            kernel.signal(wakeFd);
        }
    }

    /**
     * The binding cgroup's limit and its usage file from one read of the group, so the two agree
     * (the full sample read them after its tree walk, while the job grew). Empty when the group
     * cannot be read or no longer binds the same way.
     */
    private Optional<TriggerLevels.Base> ownBase(Limit b, String dir, boolean memsw, Sample sample) {
        try {
            CgroupVersion v = b.source() == LimitSource.CGROUP_V1 ? CgroupVersion.V1 : CgroupVersion.V2;
            Optional<CgroupMemory> c = CgroupMemory.read(fs, v, dir);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            List<Limit> fresh = Limits.cgroups(List.of(c.get()), sample.host());
            if (fresh.isEmpty() || !fresh.get(0).capacity().equals(b.capacity())) {
                return Optional.empty();
            }
            long file = c.get().usageBytes() + (memsw ? c.get().swapUsageBytes() : 0);
            return Optional.of(new TriggerLevels.Base(fresh.get(0), file));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** memsw when swap counts in the binding limit (its capacity exceeds the RAM limit). */
    private String v1UsageFile(String dir, Limit b) {
        Optional<String> ram = fs.readIfPresent(dir + "/memory.limit_in_bytes");
        if (ram.isPresent() && fs.exists(dir + "/memory.memsw.usage_in_bytes")) {
            try {
                OptionalLong limit = CgroupMemory.parseV1Limit(ram.get(), dir);
                if (limit.isPresent() && b.capacity().bytes() > limit.getAsLong()) {
                    return "memory.memsw.usage_in_bytes";
                }
            } catch (RuntimeException e) {
                // unreadable: the RAM counter
            }
        }
        return "memory.usage_in_bytes";
    }

    /** The directory of a cgroup limit, from its description ("cgroup v1 DIR: memory.limit_in_bytes ..."). */
    static Optional<String> cgroupDirectory(Limit b) {
        String d = b.description();
        String prefix = b.source() == LimitSource.CGROUP_V1 ? "cgroup v1 " : b.source() == LimitSource.CGROUP_V2 ? "cgroup v2 " : null;
        int end = d.lastIndexOf(b.source() == LimitSource.CGROUP_V1 ? ": memory.limit_in_bytes" : ": memory.max");
        if (prefix == null || !d.startsWith(prefix) || end <= prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(d.substring(prefix.length(), end));
    }

    private Gauge fileGauge(String absolute) {
        return new Gauge() {
            @Override
            public OptionalLong read() {
                try {
                    Optional<String> t = fs.readIfPresent(absolute);
                    return t.isPresent() ? OptionalLong.of(Long.parseLong(t.get().strip())) : OptionalLong.empty();
                } catch (RuntimeException e) {
                    return OptionalLong.empty();
                }
            }

            @Override
            public String describe() {
                return fs.path(absolute).toString();
            }

            @Override
            public Optional<Reflex.Polled> polled() {
                return Optional.of(new Reflex.Polled(fs.path(absolute).toString(), false));
            }
        };
    }

    private Gauge hostGauge() {
        return new Gauge() {
            @Override
            public OptionalLong read() {
                try {
                    return OptionalLong.of(Limits.host(MemInfo.read(fs)).used().bytes());
                } catch (RuntimeException e) {
                    return OptionalLong.empty();
                }
            }

            @Override
            public String describe() {
                return fs.path(MemInfo.PATH) + " (MemAvailable + SwapFree)";
            }

            @Override
            public Optional<Reflex.Polled> polled() {
                return Optional.of(new Reflex.Polled(fs.path(MemInfo.PATH).toString(), true));
            }
        };
    }

    /** v1: memory.oom_control of the job's group; v2: inotify on its memory.events. */
    private void watchKills(int jobPid) {
        Optional<CgroupPaths> paths = CgroupPaths.read(fs, jobPid);
        if (paths.isEmpty()) {
            return;
        }
        Optional<String> v1 = paths.get().v1Memory().flatMap(p -> CgroupMount.first(mounts, CgroupVersion.V1)
                .flatMap(m -> m.directoryOf(p)));
        if (v1.isPresent()) {
            try {
                int fd = kernel.eventfd();
                try {
                    kernel.register(fd, fs.path(v1.get() + "/cgroup.event_control").toString(),
                            fs.path(v1.get() + "/memory.oom_control").toString(), "");
                    oomFd = fd;
                    detail.accept("OOM kills in " + v1.get() + " are notified at once (memory.oom_control eventfd)");
                } catch (KernelEvents.Failure e) {
                    kernel.close(fd);
                    detail.accept("no memory.oom_control notification on " + v1.get() + " (" + e.getMessage()
                            + "): kills are found at the next full sample");
                }
            } catch (KernelEvents.Failure e) {
                // no eventfd: nothing to register
            }
            return;
        }
        Optional<String> v2 = paths.get().v2().flatMap(p -> CgroupMount.first(mounts, CgroupVersion.V2)
                .flatMap(m -> m.directoryOf(p)));
        if (v2.isPresent() && fs.exists(v2.get() + "/memory.events")) {
            watchEvents(v2.get());
        }
    }

    private void watchEvents(String dir) {
        try {
            if (inotifyFd < 0) {
                inotifyFd = kernel.inotify();
            }
            kernel.watch(inotifyFd, fs.path(dir + "/memory.events").toString(), KernelEvents.IN_MODIFY);
            detail.accept("changes of " + dir + "/memory.events (high, max, oom, oom_kill) are notified at once (inotify)");
        } catch (KernelEvents.Failure e) {
            detail.accept("no inotify on " + dir + "/memory.events (" + e.getMessage() + ")");
        }
    }

    private void loop() {
        int[] fds = new int[5];
        boolean[] ready = new boolean[5];
        while (running) {
            Plan p = pending;
            if (p != null && p != current) {
                apply(p);
            }
            long now = clock.getAsLong();
            int timeout = -1;
            if (current != null && current.route() == Route.POLL) {
                timeout = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (nextPollNanos - now + 999_999) / 1_000_000));
            }
            if (wakeFd < 0) {
                // No descriptors at all: plain sleeps.
                sleepMillis(timeout < 0 ? pollPeriod.max().toMillis() : timeout);
                pollIfDue();
                continue;
            }
            int n = 0;
            int iWake = n;
            fds[n++] = wakeFd;
            int iThreshold = thresholdFd >= 0 ? n : -1;
            if (iThreshold >= 0) {
                fds[n++] = thresholdFd;
            }
            int iOom = oomFd >= 0 ? n : -1;
            if (iOom >= 0) {
                fds[n++] = oomFd;
            }
            int iInotify = inotifyFd >= 0 ? n : -1;
            if (iInotify >= 0) {
                fds[n++] = inotifyFd;
            }
            int iReflex = reflex.isPresent() && reflex.get().firedFd() >= 0 ? n : -1;
            if (iReflex >= 0) {
                fds[n++] = reflex.get().firedFd();
            }
            kernel.poll(java.util.Arrays.copyOf(fds, n), ready, timeout);
            if (!running) {
                break;
            }
            if (ready[iWake]) {
                kernel.drainEventfd(wakeFd);
            }
            if (iReflex >= 0 && ready[iReflex] && kernel.drainEventfd(reflex.get().firedFd()) > 0) {
                reflexFired(reflex.get().firedLevel());
            }
            if (iThreshold >= 0 && ready[iThreshold] && kernel.drainEventfd(thresholdFd) > 0) {
                fire();
            }
            if (iOom >= 0 && ready[iOom] && kernel.drainEventfd(oomFd) > 0) {
                handler.sampleNow("memory.oom_control: an OOM kill in the job's memory cgroup");
            }
            if (iInotify >= 0 && ready[iInotify]) {
                kernel.drainInotify(inotifyFd);
                fire();
                handler.sampleNow("memory.events changed");
            }
            pollIfDue();
        }
    }

    /** A reading now, handed on as a possible crossing. */
    private void fire() {
        Plan p = current;
        if (p == null || p.gauge() == null) {
            return;
        }
        OptionalLong r = p.gauge().read();
        if (r.isEmpty()) {
            handler.sampleNow(p.gauge().describe() + " unreadable");
            return;
        }
        handler.crossed(new Crossing(p.base(), p.baseNanos(), r.getAsLong(), clock.getAsLong(), p.gauge(),
                Seen.KERNEL_NOTIFICATION));
    }

    /** How the reflex armed on plan {@code p} sees its level (as {@link #armReflex} armed it). */
    private static Seen seenBy(Plan p) {
        return p.route() == Route.POLL ? Seen.POLLED_READING : Seen.KERNEL_NOTIFICATION;
    }

    /**
     * The reflex asked for the checkpoint at {@code level}: a crossing of it, whatever a reading
     * says now (the job may have let go of its memory on the signal), so the ladder decides the
     * checkpoint it was armed for and the responder claims the reflex's request.
     */
    private void reflexFired(long level) {
        Plan p = current;
        if (p == null || p.gauge() == null || level < 0 || handler == null) {
            return;
        }
        long value = Math.max(level, p.gauge().read().orElse(level));
        handler.crossed(new Crossing(p.base(), p.baseNanos(), value, clock.getAsLong(), p.gauge(), seenBy(p)));
    }

    private void pollIfDue() {
        Plan p = current;
        if (p == null || p.route() != Route.POLL) {
            return;
        }
        long now = clock.getAsLong();
        if (now < nextPollNanos) {
            return;
        }
        OptionalLong r = p.gauge().read();
        long readAt = clock.getAsLong();
        if (r.isEmpty()) {
            nextPollNanos = readAt + pollPeriod.max().toNanos();
            return;
        }
        long value = r.getAsLong();
        if (readAt > lastPollNanos) {
            double rate = (value - lastPollValue) / ((readAt - lastPollNanos) / 1e9);
            polledBytesPerSecond = Double.isNaN(polledBytesPerSecond) ? rate : 0.5 * polledBytesPerSecond + 0.5 * rate;
        }
        boolean crossed = false;
        for (long level : p.fileLevels()) {
            if (lastPollValue < level && value >= level) {
                crossed = true;
            }
        }
        lastPollValue = value;
        lastPollNanos = readAt;
        if (crossed) {
            handler.crossed(new Crossing(p.base(), p.baseNanos(), value, readAt, p.gauge(), Seen.POLLED_READING));
        }
        nextPollNanos = clock.getAsLong() + pollPeriod.next(gap(closingIn(p), value), polledBytesPerSecond).toNanos();
    }

    /**
     * The levels this thread's polling closes in on: all but the checkpoint level when the reflex
     * reads the same gauge for it (it tells this thread when it fires), so near that level one
     * thread reads, not two.
     */
    private List<Long> closingIn(Plan p) {
        if (reflex.isEmpty() || p.checkpoint().isEmpty() || !reflex.get().watching(p.checkpoint().get().usedBytes())) {
            return p.fileLevels();
        }
        long covered = p.checkpoint().get().usedBytes();
        return p.fileLevels().stream().filter(l -> Math.abs(l - covered) > SAME_LEVEL_BYTES).toList();
    }

    /** Levels closer than this count as the same: the kernel checks thresholds every 128 pages or so. */
    private static final long SAME_LEVEL_BYTES = 1L << 20;

    /** Whether each wanted level has a registered one within {@link #SAME_LEVEL_BYTES}. */
    static boolean covered(List<Long> registered, List<Long> wanted) {
        for (long w : wanted) {
            if (registered.stream().noneMatch(r -> Math.abs(r - w) <= SAME_LEVEL_BYTES)) {
                return false;
            }
        }
        return true;
    }

    static long gap(List<Long> levels, long value) {
        for (long l : levels) {
            if (l > value) {
                return l - value;
            }
        }
        return Long.MAX_VALUE;
    }

    private void apply(Plan p) {
        Plan previous = current;
        if (p.route() == Route.THRESHOLDS && (thresholdsRefused || kernel == null || wakeFd < 0)) {
            p = p.withRoute(Route.POLL);
        }
        if (p.route() == Route.THRESHOLDS && thresholdFd >= 0 && previous != null && previous.route() == Route.THRESHOLDS
                && previous.gauge().describe().equals(p.gauge().describe()) && covered(registered, p.fileLevels())) {
            // Every level wanted is registered already (extra ones only cause a fast read): no
            // re-registration in the middle of a race, just the new reading to measure from.
            armReflex(p);
            current = p;
            return;
        }
        int old = thresholdFd;
        thresholdFd = -1;
        registered = List.of();
        if (p.route() == Route.THRESHOLDS && !p.fileLevels().isEmpty()) {
            try {
                thresholdFd = arm(p);
            } catch (KernelEvents.Failure e) {
                thresholdsRefused = true;
                say.accept("cannot set memory thresholds on " + p.thresholdDir() + " (" + e.getMessage()
                        + "); polling " + p.gauge().describe() + " instead");
                p = p.withRoute(Route.POLL);
            }
        }
        if (old >= 0) {
            kernel.close(old); // closing the eventfd unregisters its thresholds
        }
        armReflex(p); // before the next poll is timed: a level the reflex watches is left to it
        if (p.route() == Route.POLL && (previous == null || previous.route() != Route.POLL || previous.gauge() == null
                || !previous.gauge().describe().equals(p.gauge().describe()))) {
            lastPollValue = p.base().fileBytes();
            lastPollNanos = p.baseNanos();
            polledBytesPerSecond = Double.NaN;
            nextPollNanos = clock.getAsLong();
        } else if (p.route() == Route.POLL) {
            nextPollNanos = Math.min(nextPollNanos, clock.getAsLong()
                    + pollPeriod.next(gap(closingIn(p), lastPollValue), polledBytesPerSecond).toNanos());
        }
        say(p); // before the plan is published: whoever sees it armed sees it described
        current = p;
        Plan armed = p;
        if (armed.route() == Route.THRESHOLDS && thresholdFd >= 0) {
            // A level passed between the full sample and the registration would not fire: look once.
            OptionalLong r = armed.gauge().read();
            if (r.isPresent() && armed.fileLevels().stream().anyMatch(l -> l > armed.base().fileBytes() && l <= r.getAsLong())) {
                handler.crossed(new Crossing(armed.base(), armed.baseNanos(), r.getAsLong(), clock.getAsLong(), armed.gauge(),
                        Seen.POLLED_READING));
            }
        }
    }

    /** The reflex at the checkpoint level where thresholds protect the job; disarmed elsewhere. */
    private void armReflex(Plan p) {
        if (reflex.isEmpty()) {
            return;
        }
        if (p.route() == Route.THRESHOLDS && thresholdFd >= 0 && p.checkpoint().isPresent()) {
            reflex.get().arm(fs.path(p.thresholdDir() + "/cgroup.event_control").toString(), p.gauge().describe(),
                    p.checkpoint().get().usedBytes(), p.checkpoint().get().reason(Seen.KERNEL_NOTIFICATION));
        } else if (p.route() == Route.POLL && p.checkpoint().isPresent() && p.gauge().polled().isPresent()) {
            reflex.get().armPolled(p.gauge().polled().get(), p.checkpoint().get().usedBytes(),
                    p.checkpoint().get().reason(Seen.POLLED_READING));
        } else {
            reflex.get().disarm();
        }
    }

    /** A new eventfd with one threshold per level; the caller closes the previous one. */
    private int arm(Plan p) throws KernelEvents.Failure {
        int fd = kernel.eventfd();
        try {
            String control = fs.path(p.thresholdDir() + "/cgroup.event_control").toString();
            String file = p.gauge().describe();
            for (long level : p.fileLevels()) {
                kernel.register(fd, control, file, Long.toString(Math.max(1, level)));
            }
            registered = p.fileLevels();
            return fd;
        } catch (KernelEvents.Failure e) {
            kernel.close(fd);
            throw e;
        }
    }

    private void say(Plan p) {
        String d = switch (p.route()) {
            case THRESHOLDS -> "cgroup v1 eventfd thresholds on " + p.gauge().describe();
            case POLL -> "adaptive polling of " + p.gauge().describe() + " every " + pollPeriod.min().toMillis() + "–"
                    + pollPeriod.max().toMillis() + " ms";
            case NONE -> "full samples only (no cheap aggregate for this limit), closer together near the thresholds";
        };
        if (!d.equals(described)) {
            described = d;
            detail.accept("protected by " + d + (p.fileLevels().isEmpty() ? "" : "; next levels "
                    + p.fileLevels().stream().map(l -> ByteSize.ofBytes(Math.max(0, l)).human()).collect(Collectors.joining(", "))));
        }
    }

    /** How the job is protected now, for the verbose log and tests. */
    String describe() {
        return described;
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(Math.max(1, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread and closes every descriptor. */
    @Override
    public void close() {
        boolean wasRunning = running;
        running = false;
        if (thread != null) {
            if (wakeFd >= 0) {
                kernel.signal(wakeFd);
            } else {
                thread.interrupt();
            }
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (wasRunning && (thread == null || !thread.isAlive())) {
            // A reflex that fired just before the job ended, its news not polled yet: still decided
            // and said, so the summary has the checkpoint the job was asked for.
            reflex.ifPresent(r -> r.unclaimedLevel().ifPresent(this::reflexFired));
        }
        if (kernel != null && (thread == null || !thread.isAlive())) {
            for (int fd : new int[] {thresholdFd, oomFd, inotifyFd, wakeFd}) {
                kernel.close(fd);
            }
            thresholdFd = oomFd = inotifyFd = wakeFd = -1;
        }
    }

    // For tests.
    List<Long> armedLevels() {
        Plan p = current;
        return p == null ? List.of() : new ArrayList<>(p.fileLevels());
    }
}
