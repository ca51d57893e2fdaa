package dev.oomguard.kernellog;

/** A source that was tried and could not be read, and why. */
public record SourceProblem(String source, String reason) {
    @Override
    public String toString() {
        return source + ": " + reason;
    }
}
