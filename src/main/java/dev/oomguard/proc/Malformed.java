package dev.oomguard.proc;

/** Thrown by parsers: the content of a kernel file is not what the kernel documents. */
public final class Malformed extends IllegalStateException {
    public Malformed(String source, String line, String problem) {
        super(source + ": " + problem + (line == null ? "" : ": '" + line + "'"));
    }
}
