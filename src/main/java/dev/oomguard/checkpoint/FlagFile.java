package dev.oomguard.checkpoint;

import dev.oomguard.proc.FastCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The checkpoint flag file ({@code --checkpoint-file}), whose text says why the checkpoint is
 * asked for: written on the guard's thread, or staged beside it beforehand and renamed into place
 * by the reflex (one system call, no allocation). In oomguard's private directory; never written
 * through a link, whoever put it there.
 */
final class FlagFile {
    private final Path file;
    private final Path staged;
    private final byte[] fileBytes;
    private final byte[] stagedBytes;

    FlagFile(Path file) {
        this.file = file;
        this.staged = file.resolveSibling("." + file.getFileName() + ".oomguard-staged");
        this.fileBytes = FastCalls.path(file.toString());
        this.stagedBytes = FastCalls.path(staged.toString());
    }

    Path path() {
        return file;
    }

    Path staged() {
        return staged;
    }

    /** The file with {@code reason}, now. */
    void write(String reason) throws IOException {
        write(file, reason);
    }

    /** {@code reason} beside the file, for {@link #putStagedInPlace}. */
    void stage(String reason) throws IOException {
        write(staged, reason);
    }

    /** The staged text renamed into place: true when it is there. Needs libc's direct calls. */
    boolean putStagedInPlace() {
        return FastCalls.rename(stagedBytes, fileBytes) == 0;
    }

    /** A staged file left over (the reflex never fired) is removed. */
    void removeStaged() {
        try {
            Files.deleteIfExists(staged);
        } catch (IOException e) {
            // beside the flag file: harmless
        }
    }

    private static void write(Path p, String reason) throws IOException {
        Files.write(p, (reason + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }
}
