package dev.oomguard.watch;

import dev.oomguard.launch.WaitStatus;
import dev.oomguard.proc.Signal;
import java.util.Optional;

/**
 * oomguard's own exit status and its reason in words, from how the job ended and what oomguard
 * did: the one place the exit-status table (README, {@code run --help}) is decided. Pure.
 *
 * <ul>
 * <li>a job oomguard stopped for memory: 137, unless {@code --preserve-status} (then the job's own);
 * <li>a job that exited 0 after the OOM killer took some of its processes: 137, unless
 *     {@code --allow-partial};
 * <li>otherwise the job's status as a shell gives it: its exit code, or 128+N for signal N (which
 *     {@code --reraise} raises again on oomguard itself);
 * <li>a watched job ({@code oomguard watch}: its status cannot be collected): 137 when oomguard stopped
 *     it or it was killed for memory, 0 otherwise (137 with partial kills, unless {@code --allow-partial}),
 *     128+N when watching was interrupted by signal N.
 * </ul>
 */
public final class ExitStatus {
    /** Status when oomguard stopped the job, or the job lost processes to the OOM killer. */
    public static final int MEMORY = 137;

    private ExitStatus() {
    }

    /** What is known of the job's end. */
    public sealed interface End permits Collected, NotCollected, Interrupted {
    }

    /** oomguard started the job and collected its status. */
    public record Collected(WaitStatus status) implements End {
    }

    /**
     * A watched job ended; its status cannot be collected (oomguard is not its parent).
     *
     * @param memoryKill how it was killed for memory, when the kernel's side says so
     */
    public record NotCollected(Optional<MemoryKill> memoryKill) implements End {
    }

    /** oomguard stopped watching on {@code signal}; the job runs on. */
    public record Interrupted(int signal) implements End {
    }

    /** A watched job's death for memory: the verdict's meaning, and whether a kernel report says so (else a counter). */
    public record MemoryKill(String meaning, boolean fromKernelLog) {
    }

    /** The user's choices: {@code --preserve-status}, {@code --allow-partial}, {@code --reraise}. */
    public record Policy(boolean preserveStatus, boolean allowPartial, boolean reraise) {
    }

    /**
     * oomguard's exit status, the signal to raise on itself instead (0: none), and how the job ended in words.
     */
    public record Exit(int status, int reraiseSignal, String reason) {
    }

    /**
     * @param stoppedByOomguard oomguard stopped the job (not in a dry run)
     * @param partialKills      processes of the job, other than its main one, killed by the OOM killer
     */
    public static Exit of(End end, boolean stoppedByOomguard, long partialKills, Policy policy) {
        if (end instanceof Collected c) {
            return collected(c.status(), stoppedByOomguard, partialKills, policy);
        }
        if (end instanceof NotCollected n) {
            return notCollected(n.memoryKill(), stoppedByOomguard, partialKills, policy);
        }
        int signal = ((Interrupted) end).signal();
        return new Exit(128 + signal, 0, "still running: oomguard stopped watching on " + Signal.describe(signal)
                + " and left the job alone");
    }

    private static Exit collected(WaitStatus status, boolean stopped, long partial, Policy policy) {
        int exit;
        int reraise = 0;
        if (stopped && !policy.preserveStatus()) {
            exit = MEMORY;
        } else if (cleanExit(status) && partial > 0 && !policy.allowPartial()) {
            exit = MEMORY;
        } else {
            exit = status.shellStatus();
            boolean raise = policy.reraise() && status.signaled() && Signal.of(status.termSignal()).isPresent();
            reraise = raise ? status.termSignal() : 0;
        }
        String s = status.toString();
        String reason;
        if (stopped) {
            reason = s + "; stopped by oomguard" + (exit == MEMORY && status.shellStatus() != MEMORY
                    ? " (oomguard exits " + MEMORY + "; --preserve-status gives the job's own)" : "");
        } else if (partial > 0 && cleanExit(status)) {
            reason = s + ", but " + processes(partial) + " OOM-killed" + (exit == MEMORY
                    ? " (oomguard exits " + MEMORY + "; --allow-partial gives the job's own)" : " (--allow-partial)");
        } else if (partial > 0) {
            reason = s + "; " + partial + " of its processes were OOM-killed before";
        } else {
            reason = s;
        }
        return new Exit(exit, reraise, reason);
    }

    private static Exit notCollected(Optional<MemoryKill> kill, boolean stopped, long partial, Policy policy) {
        String unknown = "status unknown (exited; not started by oomguard)";
        if (stopped) {
            return new Exit(MEMORY, 0, "ended after oomguard stopped it (--act); its own status is unknown"
                    + " (not started by oomguard)");
        }
        if (kill.isPresent()) {
            return new Exit(MEMORY, 0, "killed for memory: " + kill.get().meaning() + " ("
                    + (kill.get().fromKernelLog() ? "from the kernel log" : "from the OOM-kill counters")
                    + "; not started by oomguard)");
        }
        if (partial > 0) {
            return new Exit(policy.allowPartial() ? 0 : MEMORY, 0, unknown + ", but " + processes(partial)
                    + " OOM-killed" + (policy.allowPartial() ? " (--allow-partial)"
                    : " (oomguard exits " + MEMORY + "; --allow-partial gives 0)"));
        }
        return new Exit(0, 0, unknown);
    }

    private static boolean cleanExit(WaitStatus status) {
        return status.exited() && status.exitCode() == 0;
    }

    private static String processes(long n) {
        return n + (n == 1 ? " of its processes was" : " of its processes were");
    }
}
