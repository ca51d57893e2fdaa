package dev.oomguard.files;

import dev.oomguard.proc.LibC;
import dev.oomguard.proc.NoFollowOpen;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every file oomguard writes for the user, written so that root on a shared machine is not led
 * to write elsewhere by another user's symbolic link, FIFO or hard link at the name.
 *
 * <ul>
 * <li>Replaced outputs ({@code --summary-json}, {@code --prom-textfile}, {@code --html}): a
 * temporary file with a random name, created with {@code O_CREAT|O_EXCL|O_NOFOLLOW} in the
 * target's directory, then renamed over the target, and only over a regular file (or nothing):
 * a symbolic link, a device, a FIFO, a socket or a directory at the target is refused.
 * <li>Files written in place ({@code --record}, {@code --log}): see {@link NoFollowOpen}.
 * </ul>
 * Each can be checked before the job starts ({@link #checkReplaceable}), so that a path that
 * cannot be written stops the run at once (125) instead of losing the output at the end.
 */
public final class OutputFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputFile() {
    }

    /**
     * Before the job: what is at {@code target} may be replaced, and its directory takes a new
     * file (one is created and removed again, so a read-only file system, a missing directory
     * or a missing permission shows now).
     *
     * @throws IOException saying in words what is wrong, naming {@code target}
     */
    public static void checkReplaceable(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        refuseUnlessReplaceable(target, abs);
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": " + (Files.exists(dir) ? dir + " is not a directory"
                    : "there is no directory " + dir));
        }
        Path probe = temporaryBeside(abs);
        try {
            Files.newOutputStream(probe, createNew()).close();
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + words(e), e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /**
     * Writes {@code content} beside {@code target} and renames it over {@code target}: a reader
     * sees the previous file or the whole new one. The new file has the default mode (the
     * umask's), as a file the user wrote would. On failure {@code target} is as it was.
     *
     * @param sync whether the data reach the disk before the rename
     * @throws IOException saying in words what is wrong, naming {@code target}
     */
    public static void replace(Path target, byte[] content, boolean sync) throws IOException {
        Path abs = target.toAbsolutePath();
        refuseUnlessReplaceable(target, abs);
        Path tmp = temporaryBeside(abs);
        try {
            List<OpenOption> options = new ArrayList<>(List.of(createNew()));
            if (sync) {
                options.add(StandardOpenOption.SYNC);
            }
            try (OutputStream out = Files.newOutputStream(tmp, options.toArray(OpenOption[]::new))) {
                out.write(content);
            }
            // rename(2) replaces the name, never follows it: whatever was planted since the check
            // above is replaced, and what it pointed to stays untouched.
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot write " + target + ": " + words(e), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // Nothing more to do: the message above names the file.
            }
        }
    }

    /**
     * Opens {@code target} to write in place, as {@link NoFollowOpen} does: created if missing,
     * refused when it is not a regular file.
     *
     * @param append keep what is there (else: start it empty)
     * @throws IOException why, in words (without the file's name)
     */
    public static FileOutputStream open(Path target, boolean append) throws IOException {
        try {
            return NoFollowOpen.open(LibC.INSTANCE, target, append);
        } catch (LinkageError e) {
            throw new IOException("no native access to open it safely (" + e.getMessage() + ")");
        }
    }

    /** What is at {@code path}, not following a symbolic link there: empty when nothing is. */
    public static Optional<String> whatIsAt(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return Optional.of(NoFollowOpen.kind((Integer) a.get("mode")));
        } catch (IOException | UnsupportedOperationException e) {
            try {
                BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return Optional.of(b.isRegularFile() ? "a regular file" : b.isDirectory() ? "a directory"
                        : b.isSymbolicLink() ? "a symbolic link" : "not a regular file");
            } catch (IOException e2) {
                return Optional.empty();
            }
        }
    }

    /** The system's reason, in words: never a Java class name. */
    public static String words(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory" + (n.getFile() == null ? "" : " (" + n.getFile() + ")");
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().substring(0, 1).toLowerCase(java.util.Locale.ROOT) + f.getReason().substring(1);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "failed" : m;
    }

    private static void refuseUnlessReplaceable(Path target, Path abs) throws IOException {
        Optional<String> there = whatIsAt(abs);
        if (there.isPresent() && !there.get().equals("a regular file")) {
            throw new IOException("cannot write " + target + ": it is " + there.get()
                    + ", which oomguard does not replace (give the path of a regular file)");
        }
    }

    private static Path temporaryBeside(Path abs) {
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        return abs.resolveSibling("." + abs.getFileName() + "." + HexFormat.of().formatHex(r) + ".tmp");
    }

    /** {@code O_CREAT|O_EXCL|O_NOFOLLOW}: a new file, never one that was there, never through a link. */
    private static OpenOption[] createNew() {
        return new OpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS};
    }
}
