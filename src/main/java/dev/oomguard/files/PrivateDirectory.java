package dev.oomguard.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A directory of oomguard's own for the checkpoint flag file: {@code mkdtemp}-style (a random name
 * made with one {@code mkdir(2)}, which never accepts what is there already), mode 0700, and
 * checked, without following a link, to be a directory owned by us that no one else may enter,
 * when made and again before it is emptied at the end. Another user can neither predict its name
 * nor plant anything in it; only the job (the same user) can write there.
 */
public final class PrivateDirectory implements AutoCloseable {
    private final Path dir;
    private final int uid;

    private PrivateDirectory(Path dir, int uid) {
        this.dir = dir;
        this.uid = uid;
    }

    /**
     * Makes {@code base/oomguard-RANDOM}.
     *
     * @param uid our effective user ID: the directory must be owned by it
     * @throws IOException in words, when it cannot be made or is not as made
     */
    public static PrivateDirectory create(Path base, int uid) throws IOException {
        Path dir;
        try {
            dir = Files.createTempDirectory(base, "oomguard-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot make a private directory in " + base + ": " + OutputFile.words(e), e);
        }
        PrivateDirectory made = new PrivateDirectory(dir, uid);
        made.verify();
        return made;
    }

    public Path path() {
        return dir;
    }

    /**
     * Still ours: a directory (not a link to one), owned by us, with no permission for anyone else.
     *
     * @throws IOException saying what it is instead
     */
    public void verify() throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot check the private directory " + dir + ": " + OutputFile.words(e), e);
        }
        int mode = (Integer) a.get("mode");
        int owner = (Integer) a.get("uid");
        if ((mode & 0170000) != 0040000) {
            throw new IOException(dir + " is " + dev.oomguard.proc.NoFollowOpen.kind(mode) + ", not oomguard's directory");
        }
        if (owner != uid) {
            throw new IOException(dir + " belongs to user " + owner + ", not to oomguard's user " + uid);
        }
        if ((mode & 0077) != 0) {
            throw new IOException(dir + " is open to others (mode " + Integer.toOctalString(mode & 07777) + ")");
        }
    }

    /**
     * Removes what is in it (names only: a link is removed, never followed) and the directory. A
     * directory that is no longer ours is left alone, as is anything that cannot be removed.
     */
    @Override
    public void close() {
        try {
            verify();
        } catch (IOException e) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // A directory the job made in it: the directory stays, which is harmless.
                }
            }
        } catch (IOException e) {
            return;
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Not empty: left as it is.
        }
    }
}
