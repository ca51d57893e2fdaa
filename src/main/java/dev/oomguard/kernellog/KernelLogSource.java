package dev.oomguard.kernellog;

import java.io.Reader;
import java.time.Duration;

/**
 * One place the kernel log can be read from: /dev/kmsg, dmesg, journalctl, a syslog file, a
 * file or stdin. {@link #open} does the I/O; the caller reads the text through a
 * {@link KernelLogReader}, which detects the format per line.
 */
public interface KernelLogSource {
    /** Short name for messages: {@code /dev/kmsg}, {@code dmesg}, {@code /var/log/kern.log}. */
    String name();

    /**
     * Whether the source's boot-relative stamps belong to the running boot, so they can be turned
     * into wall-clock time from the boot time.
     */
    boolean stampsFromThisBoot();

    /**
     * Opens the log for reading, giving up after {@code timeout}.
     *
     * @throws SourceUnavailableException with the reason in words (permission denied and why,
     *         not present, timed out)
     */
    Reader open(Duration timeout) throws SourceUnavailableException;
}
