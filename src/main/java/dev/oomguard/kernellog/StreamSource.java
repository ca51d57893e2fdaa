package dev.oomguard.kernellog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * A file (a syslog file, a saved dmesg, a journald JSON export, kmsg records) or stdin; gzip is
 * recognised by its magic bytes, not by the name. Invalid UTF-8 is replaced, never fatal.
 */
public final class StreamSource implements KernelLogSource {
    private final String name;
    private final Supplier<InputStream> stdin;
    private final Path path;
    private final boolean thisBoot;

    private StreamSource(String name, Path path, Supplier<InputStream> stdin, boolean thisBoot) {
        this.name = name;
        this.path = path;
        this.stdin = stdin;
        this.thisBoot = thisBoot;
    }

    /** A file given by the user: its boot-relative stamps may come from any boot. */
    public static StreamSource file(Path path) {
        return new StreamSource(path.toString(), path, null, false);
    }

    /** A system log file such as /var/log/kern.log (its lines carry wall-clock stamps). */
    public static StreamSource systemLog(Path path) {
        return new StreamSource(path.toString(), path, null, false);
    }

    public static StreamSource stdin(Supplier<InputStream> in) {
        return new StreamSource("stdin", null, in, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean stampsFromThisBoot() {
        return thisBoot;
    }

    @Override
    public Reader open(Duration timeout) throws SourceUnavailableException {
        InputStream raw;
        try {
            raw = path == null ? stdin.get() : Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new SourceUnavailableException("no such file");
        } catch (AccessDeniedException e) {
            throw new SourceUnavailableException("permission denied (readable by root or the adm group)");
        } catch (IOException e) {
            throw new SourceUnavailableException(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        try {
            return decoded(raw);
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot read: " + e.getMessage());
        }
    }

    static Reader decoded(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        InputStream body = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
        return new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    }
}
