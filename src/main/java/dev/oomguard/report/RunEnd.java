package dev.oomguard.report;

import dev.oomguard.launch.WaitStatus;
import dev.oomguard.proc.Signal;

/**
 * How a run ended, for the record's {@code exit} line and the JSON summary.
 *
 * @param jobPid            the job's main process
 * @param exitCode          the job's exit code, or null when a signal ended it (or it is unknown)
 * @param signal            the signal that ended the job, or null when it exited (or it is unknown:
 *                          {@code oomguard watch} cannot collect the status of a process it did not start)
 * @param status            oomguard's own exit status (137 when it stopped the job, ...)
 * @param statusText        how it ended, in words (as in the summary on stderr)
 * @param stoppedByOomguard oomguard stopped the job itself (terminate, kill, {@code --on-partial-oom stop});
 *                          not set in a dry run, nor when the kernel killed it
 */
public record RunEnd(int jobPid, Integer exitCode, Integer signal, int status, String statusText,
        boolean stoppedByOomguard) {
    public RunEnd {
        if (exitCode != null && signal != null) {
            throw new IllegalArgumentException("a run ends with an exit code or a signal, not both");
        }
        if (statusText == null) {
            throw new IllegalArgumentException("a run end needs its status in words");
        }
    }

    public static RunEnd of(int jobPid, WaitStatus wait, int status, String statusText, boolean stoppedByOomguard) {
        return new RunEnd(jobPid, wait.exited() ? wait.exitCode() : null, wait.exited() ? null : wait.termSignal(),
                status, statusText, stoppedByOomguard);
    }

    /** A job whose own status is not known (watched, not started, by oomguard). */
    public static RunEnd unknown(int jobPid, int status, String statusText, boolean stoppedByOomguard) {
        return new RunEnd(jobPid, null, null, status, statusText, stoppedByOomguard);
    }

    /** {@code SIGKILL}, or null. */
    public String signalName() {
        return signal == null ? null : Signal.describe(signal);
    }
}
