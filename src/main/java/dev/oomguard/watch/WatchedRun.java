package dev.oomguard.watch;

import dev.oomguard.explain.Confidence;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.KillExplainer;
import dev.oomguard.explain.OomCounters;
import dev.oomguard.explain.Verdict;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.Signal;
import dev.oomguard.report.RunEnd;
import dev.oomguard.sample.TreeSpec;
import dev.oomguard.units.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * {@code oomguard watch}: guards a job that was started without oomguard. The same session as a
 * run ({@link Session}: sampler, ladder, relays, correlator), on a tree rooted at a process
 * oomguard did not start: observe-only unless asked to act, its end noticed through a pidfd
 * ({@link JobEnd}), and, since its exit status cannot be collected, "status unknown" unless the
 * kernel log or the OOM-kill counters show that it was killed for memory.
 */
public final class WatchedRun {
    /** How often the end and Ctrl-C are looked for. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final LibC libc;
    private final Host host;
    private final Session.Output out;

    public WatchedRun(LibC libc, Consumer<String> say, Consumer<String> detail, PrintWriter err) {
        this(libc, Host.live(libc), new Session.Output(say, detail, line -> { }, err));
    }

    /** @param libc how signals reach the job ({@code --act}); everything else is read from {@code host} */
    WatchedRun(LibC libc, Host host, Session.Output out) {
        this.libc = libc;
        this.host = host;
        this.out = out;
    }

    /**
     * Watches {@code job} until it ends or oomguard is interrupted; returns oomguard's exit status.
     *
     * @param act            carry out the ladder's decisions (else only say them)
     * @param callerIgnored  signals the caller ignored (a {@code nohup oomguard watch} keeps ignoring HUP)
     * @throws GuardedRun.SetupFailure when the job has gone or a file cannot be opened
     */
    public int watch(WatchedProcess job, GuardedRun.Options o, boolean act, long callerIgnored) {
        JobEnd end = JobEnd.open(host.fs(), job).orElseThrow(() -> new GuardedRun.SetupFailure(job.who()
                + " has ended (or its PID now names another process): nothing to watch"));
        try {
            Map<String, String> settings = new LinkedHashMap<>(o.settings());
            settings.put("watch_pid", Integer.toString(job.pid()));
            settings.put("act", Boolean.toString(act));
            try (Session session = Session.open(host, out, o, job.display(), !act, settings)) {
                return watch(session, job, o, act, callerIgnored, end);
            }
        } finally {
            end.close();
        }
    }

    private int watch(Session session, WatchedProcess job, GuardedRun.Options o, boolean act, long callerIgnored,
            JobEnd end) {
        // Ctrl-C (and TERM, HUP) end the watching, never the job; taken before anything is said.
        BlockingQueue<Integer> interrupts = new LinkedBlockingQueue<>();
        for (Signal s : List.of(Signal.INT, Signal.TERM, Signal.HUP)) {
            if ((callerIgnored & (1L << (s.number() - 1))) == 0) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(s.name()), sig -> interrupts.add(sig.getNumber()));
                } catch (IllegalArgumentException e) {
                    // reserved by this JVM: the default applies
                }
            }
        }
        TreeSignals signals = new TreeSignals(libc, host.fs(), job, end, out.detail());
        String target = TreeSignals.describe(signals.target());
        Responder.Wording wording = act ? new Responder.Wording("", "", "", target)
                : new Responder.Wording("would ", " (observe-only; --act to act)", "(observe-only) ", target);
        Responder.Settings settings = new Responder.Settings(!act, o.act().checkpointSignal(), o.act().onCheckpoint(),
                o.act().notifyCommand(), o.act().onPartial(), Optional.empty());
        Map<String, String> jobContext = new LinkedHashMap<>();
        jobContext.put("OOMGUARD_PID", Integer.toString(host.pid()));
        jobContext.put("OOMGUARD_COMMAND", job.display());
        jobContext.put("OOMGUARD_WATCH", "1");
        Responder responder = new Responder(settings, signals, out.say(), session.hooks(), jobContext, wording);
        responder.jobStarted(job.pid());
        session.respond(responder);
        if (!o.quiet()) {
            out.say().accept("watching " + job.who() + ", not started by oomguard: " + (act
                    ? "acting on it (--act: signals go to " + target + ")" : "observe-only (--act to act)"));
        }
        out.detail().accept("its end is noticed " + (end.viaPidfd() ? "through a pidfd" : "by polling /proc/" + job.pid()
                + " (no pidfd on this kernel)") + "; its exit status cannot be collected (oomguard is not its parent)");
        session.attach(job.pid(), TreeSpec.of(job.pid()), Optional.empty(), () -> false, Optional.empty(), first -> { });

        Integer interrupted = null;
        while (!end.await(POLL)) {
            interrupted = interrupts.poll();
            if (interrupted != null) {
                break;
            }
        }
        session.end();
        try {
            return report(session, job, o, interrupted, responder);
        } catch (RuntimeException e) {
            out.say().accept("internal error while reporting (" + e + ")");
            return ExitStatus.of(new ExitStatus.NotCollected(Optional.empty()), responder.stoppedByGuard(), 0,
                    policy(o)).status();
        }
    }

    private int report(Session session, WatchedProcess job, GuardedRun.Options o, Integer interrupted,
            Responder responder) {
        List<PartialKill> partial = session.partialKills();
        boolean jobEnded = interrupted == null;
        Optional<Explanation> mainKill = Optional.empty();
        Session.Explained explained = Session.Explained.NONE;
        boolean probeMain = jobEnded && !responder.stoppedByGuard();
        if (probeMain || !partial.isEmpty()) {
            KillExplainer explainer = session.explainer();
            mainKill = explain(explainer, session, job, partial, probeMain);
            explained = Session.Explained.of(explainer, mainKill.isPresent(), false);
        }
        ExitStatus.End how = !jobEnded ? new ExitStatus.Interrupted(interrupted)
                : new ExitStatus.NotCollected(mainKill.map(e -> new ExitStatus.MemoryKill(e.verdict().meaning(),
                        e.kernelReport().isPresent())));
        ExitStatus.Exit exit = ExitStatus.of(how, responder.stoppedByGuard(), partial.size(), policy(o));
        if (!jobEnded) {
            out.say().accept("stopped watching " + job.who() + " (" + Signal.describe(interrupted)
                    + "); it runs on, unwatched");
        }
        // A kill for memory that the kernel logged is a SIGKILL; the counters alone do not say which signal.
        Integer signal = mainKill.filter(e -> e.kernelReport().isPresent()).map(e -> Signal.KILL.number()).orElse(null);
        String note = "watched, not started, by oomguard" + age(job, session.started()).map(a -> ": it had run for "
                + a + " when watching began").orElse("") + "; processes it orphans leave the watched tree";
        session.finish(exit, new RunEnd(job.pid(), null, signal, exit.status(), exit.reason(), responder.stoppedByGuard()),
                explained, new Session.Findings(partial.stream().map(PartialKill::describe).toList(), List.of(note),
                        List.of(), false));
        return exit.status();
    }

    private static ExitStatus.Policy policy(GuardedRun.Options o) {
        return new ExitStatus.Policy(o.preserveStatus(), o.allowPartial(), o.reraise());
    }

    /**
     * The main process's end is probed as if it were a SIGKILL: a memory verdict for this very PID,
     * from a kernel report or a cgroup counter that rose beyond the partial kills, is how it ended;
     * anything else leaves its status unknown. Partial kills are explained as in a run. Returns the
     * main process's kill for memory, when found.
     */
    private Optional<Explanation> explain(KillExplainer explainer, Session session, WatchedProcess job,
            List<PartialKill> partial, boolean probeMain) {
        Optional<Explanation> mainKill = Optional.empty();
        try {
            OomCounters counters = session.counters();
            if (probeMain) {
                // Kills already seen as partial are not the main process's.
                OomCounters forMain = new OomCounters(counters.vmstatBefore() == null ? null
                        : counters.vmstatBefore() + partial.size(), counters.vmstatAfter(),
                        counters.cgroupBefore() == null ? null : counters.cgroupBefore() + partial.size(),
                        counters.cgroupAfter(), counters.cgroupCounter());
                Explanation e = explainer.correlate(explainer.killed(job.pid(), job.comm()), forMain);
                boolean thisProcess = e.pid() == null || e.pid() == job.pid();
                if (forMemory(e.verdict()) && e.confidence() != Confidence.LOW && thisProcess) {
                    mainKill = Optional.of(e);
                    explainer.keep(e);
                    explainer.tell(job.pid(), job.comm(), e);
                }
            }
            for (PartialKill k : partial) {
                Explanation e = explainer.correlate(explainer.killed(k.process().pid(), k.comm()), counters);
                explainer.keep(e);
                explainer.tell(k.process().pid(), k.comm(), e);
            }
            explainer.reportProblems();
        } catch (RuntimeException e) {
            out.say().accept("could not read how the job ended: " + e);
        }
        return mainKill;
    }

    private static boolean forMemory(Verdict v) {
        return switch (v) {
            case MACHINE_OOM, CGROUP_LIMIT, CPUSET_CONSTRAINT, MEMPOLICY_CONSTRAINT, KERNEL_OOM,
                    USERSPACE_OOM_KILLER -> true;
            default -> false;
        };
    }

    /** How long the job had run when watching began (start time in clock ticks after boot, USER_HZ 100). */
    private Optional<String> age(WatchedProcess job, Instant watchStart) {
        return host.fs().readIfPresent("/proc/uptime").flatMap(text -> {
            try {
                double uptime = Double.parseDouble(text.strip().split("\\s+")[0]);
                double ranFor = uptime - job.startTimeTicks() / 100.0;
                double sinceWatch = Duration.between(watchStart, Instant.now()).toMillis() / 1000.0;
                double before = ranFor - sinceWatch;
                return before < 0 ? Optional.empty()
                        : Optional.of(Durations.format(Duration.ofMillis((long) (before * 1000))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
