package dev.oomguard.kernellog;

/**
 * A kernel log source could not be read; the message says why in words a user acts on. Expected
 * (dmesg_restrict is the common case for non-root users), so the caller goes on to the next source.
 */
public final class SourceUnavailableException extends Exception {
    public SourceUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
