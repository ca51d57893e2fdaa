package dev.oomguard.launch;

import dev.oomguard.proc.LibC;
import dev.oomguard.proc.Signals;
import dev.oomguard.proc.SyscallException;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Installs oomguard's signal handlers per {@link SignalPolicy}. The JVM runs each handler on a
 * thread of its own; handlers only enqueue the signal number, the supervisor decides.
 * Signals the caller ignored stay ignored (as they would be for the job without oomguard).
 */
final class SignalRelay {
    private SignalRelay() {
    }

    static void install(long callerIgnored, IntConsumer onSignal) {
        for (SignalPolicy policy : SignalPolicy.handled()) {
            installOne(policy, callerIgnored, onSignal);
        }
    }

    /**
     * Stops oomguard by the same signal that stopped the job (TSTP for Ctrl-Z, TTIN for a
     * background read), so the shell reports what it would have; returns once continued.
     */
    static void stopLike(int stopSignal, long callerIgnored, IntConsumer onSignal) {
        LibC libc = LibC.INSTANCE;
        Signals signals = new Signals(libc);
        java.util.Optional<SignalPolicy> policy = SignalPolicy.handled().stream()
                .filter(p -> p.signal().number() == stopSignal).findFirst();
        if (policy.isEmpty()) {
            try {
                signals.kill(libc.getpid(), dev.oomguard.proc.Signal.STOP.number());
            } catch (SyscallException e) {
                throw new IllegalStateException("cannot stop oomguard itself: " + e.getMessage(), e);
            }
            return;
        }
        signals.resetToDefault(stopSignal); // SIG_DFL: stop
        signals.raise(stopSignal);
        installOne(policy.get(), callerIgnored, onSignal);
    }

    private static void installOne(SignalPolicy policy, long callerIgnored, IntConsumer onSignal) {
        {
            int number = policy.signal().number();
            if ((callerIgnored & (1L << (number - 1))) != 0) {
                return;
            }
            if (policy == SignalPolicy.USR2 && System.getenv("_JAVA_SR_SIGNUM") == null) {
                return; // HotSpot still suspends threads with USR2: taking it would break the JVM
            }
            SignalHandler handler = policy.action() == SignalPolicy.Action.IGNORE
                    ? SignalHandler.SIG_IGN
                    : sig -> onSignal.accept(sig.getNumber());
            try {
                Signal.handle(new Signal(policy.signal().name()), handler);
            } catch (IllegalArgumentException e) {
                // Reserved by this JVM (e.g. USR2 without the launcher): not relayed, see the table.
            }
        }
    }
}
