package dev.oomguard.kernellog;

import dev.oomguard.proc.Descriptor;
import dev.oomguard.proc.Errno;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.SyscallException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The kernel's ring buffer through /dev/kmsg: one record per {@code read()}, opened non-blocking
 * so the end shows as EAGAIN instead of a wait. EPIPE means records were overwritten while we
 * read; we note it and go on with the next one.
 */
public final class DevKmsgSource implements KernelLogSource {
    private static final int RECORD_BYTES = 8192;
    private final String path;
    private int overruns;

    public DevKmsgSource() {
        this("/dev/kmsg");
    }

    DevKmsgSource(String path) {
        this.path = path;
    }

    @Override
    public String name() {
        return path;
    }

    @Override
    public boolean stampsFromThisBoot() {
        return true;
    }

    /** How many times records were overwritten before they could be read (EPIPE). */
    public int overruns() {
        return overruns;
    }

    /**
     * Opens /dev/kmsg and reads its first record now (so "permission denied" shows here); the
     * rest is read record by record as the caller reads, never held whole.
     */
    @Override
    public Reader open(Duration timeout) throws SourceUnavailableException {
        Descriptor kmsg;
        try {
            kmsg = Descriptor.open(LibC.INSTANCE, path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (SyscallException e) {
            throw new SourceUnavailableException(openError(e.number()));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new SourceUnavailableException("libc not available (" + e.getMessage() + ")");
        }
        Records records = new Records(kmsg, timeout.toNanos());
        try {
            records.fill();
        } catch (SourceUnavailableException e) {
            kmsg.close();
            throw e;
        }
        return records;
    }

    /** The records as text, one line each (plus the dictionary lines the kernel adds). */
    private final class Records extends Reader {
        private final Descriptor kmsg;
        /** The time reading may take (not counting the caller's work between reads): records keep coming. */
        private final long budgetNanos;
        private long spentNanos;
        private final byte[] buf = new byte[RECORD_BYTES];
        private String pending = "";
        private int at;
        private boolean end;
        private boolean closed;

        Records(Descriptor kmsg, long budgetNanos) {
            this.kmsg = kmsg;
            this.budgetNanos = budgetNanos;
        }

        /** Reads the next record into {@code pending}; at the end (EAGAIN, the deadline) sets {@code end}. */
        void fill() throws SourceUnavailableException {
            long began = System.nanoTime();
            try {
                next(began);
            } finally {
                spentNanos += System.nanoTime() - began;
            }
        }

        private void next(long began) throws SourceUnavailableException {
            while (!end && spentNanos + (System.nanoTime() - began) < budgetNanos) {
                long n;
                try {
                    n = kmsg.read(buf);
                } catch (SyscallException e) {
                    if (e.is(Errno.EPIPE)) {
                        overruns++;
                        continue;
                    }
                    if (e.is(Errno.EINTR)) {
                        continue;
                    }
                    if (e.is(Errno.EAGAIN)) {
                        break;
                    }
                    if (e.is(Errno.EPERM) || e.is(Errno.EACCES)) {
                        throw new SourceUnavailableException(openError(e.number()));
                    }
                    throw new SourceUnavailableException("read failed (errno " + e.number() + ")");
                }
                if (n <= 0) {
                    break;
                }
                String record = new String(buf, 0, (int) n, StandardCharsets.UTF_8);
                pending = record.endsWith("\n") ? record : record + "\n";
                at = 0;
                return;
            }
            end = true;
            pending = "";
            at = 0;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("/dev/kmsg reader is closed");
            }
            if (len == 0) {
                return 0;
            }
            while (at >= pending.length()) {
                if (end) {
                    return -1;
                }
                try {
                    fill();
                } catch (SourceUnavailableException e) {
                    throw new IOException(e.getMessage());
                }
            }
            int n = Math.min(len, pending.length() - at);
            pending.getChars(at, at + n, cbuf, off);
            at += n;
            return n;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                kmsg.close();
            }
        }
    }

    /**
     * The sequence number the next record will get, for the run command to note at job start so
     * later only reports logged after it are considered; empty when /dev/kmsg is unreadable.
     */
    public OptionalLong nextSequence(Duration timeout) {
        try (Reader in = open(timeout); BufferedReader lines = new BufferedReader(in)) {
            long last = -1;
            String line;
            while ((line = lines.readLine()) != null) {
                int c1 = line.indexOf(',');
                int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
                if (c2 > c1 + 1 && !line.startsWith(" ")) {
                    try {
                        last = Math.max(last, Long.parseLong(line.substring(c1 + 1, c2)));
                    } catch (NumberFormatException e) {
                        // a continuation or dictionary line
                    }
                }
            }
            return last < 0 ? OptionalLong.empty() : OptionalLong.of(last + 1);
        } catch (SourceUnavailableException | IOException e) {
            return OptionalLong.empty();
        }
    }

    private static String openError(int errno) {
        if (errno == Errno.EPERM.number() || errno == Errno.EACCES.number()) {
            return "permission denied (kernel.dmesg_restrict=1 allows only root/CAP_SYSLOG)";
        }
        if (errno == Errno.ENOENT.number()) {
            return "not present (kernel older than 3.5, or a container without it)";
        }
        return "cannot open (errno " + errno + ")";
    }
}
