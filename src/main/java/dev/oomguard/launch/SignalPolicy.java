package dev.oomguard.launch;

import dev.oomguard.proc.Signal;
import java.util.List;

/**
 * What oomguard does with each signal it receives, and why: the table the README shows
 * (a test keeps the two in step).
 */
public enum SignalPolicy {
    HUP(Signal.HUP, Action.FORWARD, "forwarded to the job's group, except when the terminal hung up while the"
            + " job held it: the kernel sends it to the job's group (the terminal's foreground) itself, so the job"
            + " gets it once; oomguard stays to report (see \"screen and tmux\")"),
    INT(Signal.INT, Action.FORWARD, "forwarded; Ctrl-C on a terminal reaches the job's group directly"
            + " (it is the foreground group), not oomguard, so never twice"),
    QUIT(Signal.QUIT, Action.NOT_FORWARDED, "the JVM reserves it (thread dump, written to stderr); Ctrl-\\ on a"
            + " terminal reaches the job directly; use 'kill -QUIT -PGID' to reach the job's group"),
    TERM(Signal.TERM, Action.FORWARD_THEN_CONT, "forwarded, followed by CONT so that a stopped job can act on it;"
            + " inside a Slurm step with ProctrackType=proctrack/linuxproc, not relayed: Slurm sends it to every"
            + " process of the step, the job included (proctrack/cgroup sends it to oomguard alone: relayed once)"),
    USR1(Signal.USR1, Action.FORWARD, "forwarded; inside a Slurm job it also means \"checkpoint now\" (sbatch"
            + " --signal=B:USR1@N, passed on by the batch script): the checkpoint file and --on-checkpoint, recorded"),
    USR2(Signal.USR2, Action.FORWARD, "forwarded (the launcher moves HotSpot's own use of USR2 to signal 62)"),
    WINCH(Signal.WINCH, Action.FORWARD, "forwarded; a terminal resize reaches the job's group directly"),
    ALRM(Signal.ALRM, Action.FORWARD, "forwarded"),
    PWR(Signal.PWR, Action.FORWARD, "forwarded"),
    CONT(Signal.CONT, Action.RESUME, "forwarded; if the job was stopped with oomguard (Ctrl-Z), the terminal is"
            + " handed back to the job first when oomguard is in the foreground (fg)"),
    TSTP(Signal.TSTP, Action.FORWARD, "forwarded; when the job stops, an interactive oomguard stops itself by the"
            + " same signal, so the shell sees the stopped job it would have seen"),
    TTIN(Signal.TTIN, Action.IGNORE, "ignored: oomguard must be able to take the terminal back from the"
            + " background"),
    TTOU(Signal.TTOU, Action.IGNORE, "ignored, for the same reason"),
    PIPE(Signal.PIPE, Action.NOT_FORWARDED, "not forwarded: it concerns oomguard's own writes (which then fail"
            + " quietly); the job gets its own SIGPIPE from its own pipes"),
    CHLD(Signal.CHLD, Action.INTERNAL, "not forwarded: tells oomguard to reap its children"),
    KILL(Signal.KILL, Action.NOT_FORWARDED, "cannot be caught: oomguard dies at once and the job carries on"
            + " unguarded (it is never taken down with oomguard)"),
    STOP(Signal.STOP, Action.NOT_FORWARDED, "cannot be caught: oomguard stops, the job runs on");

    /** What oomguard does on receipt. */
    public enum Action { FORWARD, FORWARD_THEN_CONT, RESUME, IGNORE, INTERNAL, NOT_FORWARDED }

    private final Signal signal;
    private final Action action;
    private final String why;

    SignalPolicy(Signal signal, Action action, String why) {
        this.signal = signal;
        this.action = action;
        this.why = why;
    }

    public Signal signal() {
        return signal;
    }

    public Action action() {
        return action;
    }

    public String why() {
        return why;
    }

    /** Signals oomguard installs a handler for. */
    public static List<SignalPolicy> handled() {
        return List.of(HUP, INT, TERM, USR1, USR2, WINCH, ALRM, PWR, CONT, TSTP, TTIN, TTOU, CHLD);
    }
}
