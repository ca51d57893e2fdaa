package dev.oomguard.watch;

import dev.oomguard.checkpoint.CheckpointRequest;
import dev.oomguard.checkpoint.Checkpoints;
import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.guard.Ladder;
import dev.oomguard.launch.GroupSignals;
import dev.oomguard.launch.JobSignals;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.Signal;
import dev.oomguard.sample.Sample;
import dev.oomguard.trigger.Triggers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The parts that react between full samples (the kernel-event machinery, the checkpoint reflex,
 * the triggers), set up on a thread of their own while the job is spawned, and ready (their
 * native calls warm) before the guard attaches: the job's start does not wait for them.
 */
record FastParts(Optional<Reflex> reflex, Optional<Triggers> triggers) {
    static final FastParts NONE = new FastParts(Optional.empty(), Optional.empty());

    /**
     * The kernel-event machinery, the reflex (started) and the triggers: their native calls are
     * warm when the guard attaches, before a race begins. Whatever fails leaves polling.
     *
     * @param wanted asked before each part: once false (the job was gone before the guard could
     *               attach, and nothing will ever use them), nothing more is set up, and none is returned
     */
    static FastParts setUp(Host host, Session.Output out, Responder.Settings act, Checkpoints checkpoints,
            JobSignals signals, GuardedRun.Options o, BooleanSupplier wanted) {
        Optional<Reflex> reflex = Optional.empty();
        try {
            if (!wanted.getAsBoolean()) {
                return NONE;
            }
            Optional<KernelEvents> kernel = kernelEvents(host, out);
            if (!wanted.getAsBoolean()) {
                return NONE;
            }
            reflex = reflex(out, act, kernel, checkpoints, signals);
            if (!wanted.getAsBoolean()) {
                reflex.ifPresent(Reflex::close);
                return NONE;
            }
            Triggers triggers = new Triggers(host.fs(), kernel, out.say(), out.detail(), System::nanoTime,
                    o.supervise().cgroup().map(g -> g.directory().toString()), o.interval(), reflex);
            return new FastParts(reflex, Optional.of(triggers));
        } catch (RuntimeException | LinkageError e) {
            reflex.ifPresent(Reflex::close);
            out.say().accept("cannot set up kernel notifications (" + e + "); polling instead");
            return NONE;
        }
    }

    /**
     * The fast path's code, run once on throw-away objects (a responder whose signals go nowhere,
     * that says nothing and writes its flag file beside the real one): the first real crossing
     * then does not pay for class loading near the limit (measured: ~100 ms for the file write's).
     */
    static void rehearse(GuardedRun.Options o, Hooks hooks, Sample first, Optional<Path> checkpointDir) {
        if (first == null || first.treeEmpty()) {
            return;
        }
        Optional<Path> scratch = checkpointDir.map(d -> d.resolve("rehearsal"));
        try {
            Responder rehearsal = new Responder(new Responder.Settings(false, Optional.empty(), Optional.empty(),
                    Optional.empty(), Responder.OnPartial.WARN, scratch), new GroupSignals(() -> -1, sig -> { }),
                    line -> { }, hooks, Map.of());
            new Ladder(o.guard()).rehearse(first).forEach(rehearsal::act);
        } catch (RuntimeException e) {
            // A rehearsal only: nothing depends on it.
        } finally {
            scratch.ifPresent(f -> {
                removeFile(f);
                removeFile(f.resolveSibling(f.getFileName() + ".done"));
            });
        }
    }

    private static void removeFile(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // left in oomguard's private directory, removed with it at the end
        }
    }

    /** Kernel notifications for the triggers; libc's absence leaves polling. */
    private static Optional<KernelEvents> kernelEvents(Host host, Session.Output out) {
        try {
            return Optional.of(host.kernelEvents().get());
        } catch (RuntimeException | LinkageError e) {
            out.say().accept("cannot load libc for kernel notifications (" + e.getMessage() + "); polling instead");
            return Optional.empty();
        }
    }

    /** The checkpoint reflex, started, unless this is a dry run or there is nothing it could do. */
    private static Optional<Reflex> reflex(Session.Output out, Responder.Settings act, Optional<KernelEvents> kernel,
            Checkpoints checkpoints, JobSignals signals) {
        int signal = act.checkpointSignal().map(Signal::number).orElse(0);
        if (act.dryRun() || kernel.isEmpty() || !Reflex.possible(checkpoints, signal)) {
            return Optional.empty();
        }
        Reflex r = new Reflex(kernel.get(), new CheckpointRequest(checkpoints, signals), signal, out.detail());
        return r.start() ? Optional.of(r) : Optional.empty();
    }
}
