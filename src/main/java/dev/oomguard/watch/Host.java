package dev.oomguard.watch;

import dev.oomguard.kernellog.DevKmsgSource;
import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.kernellog.KernelLogs;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.ProcFs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The machine a {@link Session} runs on: everything of the live system it reads, behind one
 * handle, so a session can be built in a test on a fixture tree and a scripted kernel log.
 *
 * @param fs               {@code /proc} and {@code /sys}
 * @param pid              oomguard's own PID
 * @param stderrIsTerminal whether a person may be watching stderr ({@code --title}, {@code --status})
 * @param environment      oomguard's environment (Slurm's variables, {@code XDG_RUNTIME_DIR})
 * @param kernelEvents     the kernel's memory notifications; throws (a {@link LinkageError} without libc)
 *                         when there are none, and the triggers poll
 * @param kernelLog        where kills are read from
 */
public record Host(ProcFs fs, int pid, boolean stderrIsTerminal, Map<String, String> environment,
        Supplier<KernelEvents> kernelEvents, KernelLog kernelLog) {
    /**
     * The kernel's log.
     *
     * @param nextSequence the number the next {@code /dev/kmsg} record will get (a run's start); empty when unreadable
     * @param kmsg         {@code /dev/kmsg}'s records, for the PIDs the kernel logged as OOM-killed
     * @param sources      every source an explanation may read, best first (made when a kill is explained:
     *                     a run without one loads none of their classes)
     */
    public record KernelLog(Supplier<OptionalLong> nextSequence, KernelLogSource kmsg,
            Supplier<List<KernelLogSource>> sources) {
    }

    public Host {
        environment = Map.copyOf(environment);
    }

    /** This machine, as oomguard runs on it. */
    public static Host live(LibC libc) {
        return new Host(ProcFs.system(), libc.getpid(), libc.isatty(2) == 1, System.getenv(), KernelEvents::load,
                new KernelLog(() -> new DevKmsgSource().nextSequence(Duration.ofSeconds(2)), new DevKmsgSource(),
                        () -> KernelLogs.machineSources(null)));
    }
}
