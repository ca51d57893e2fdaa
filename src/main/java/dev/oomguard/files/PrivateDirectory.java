package dev.oomguard.files;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.OptionalLong;

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
            dir = make(base);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot make a private directory in " + base + ": " + OutputFile.words(e), e);
        }
        PrivateDirectory made = new PrivateDirectory(dir, uid);
        made.verify();
        return made;
    }

    /**
     * {@code Files.createTempDirectory(base, "oomguard-", 0700)} does the same, but its name comes
     * from a {@code SecureRandom}, whose set-up (security providers, a digest) cost 5-13 ms before
     * the job's start: the name's 64 random bits are read from {@code /dev/urandom} here, which is
     * where that {@code SecureRandom} (NativePRNG) takes them from. Without it, the JDK's way.
     */
    private static Path make(Path base) throws IOException {
        java.nio.file.attribute.FileAttribute<?> mode =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        for (int attempt = 0; attempt < 100; attempt++) {
            OptionalLong random = urandom();
            if (random.isEmpty()) {
                break;
            }
            try {
                return Files.createDirectory(base.resolve("oomguard-" + Long.toUnsignedString(random.getAsLong())), mode);
            } catch (FileAlreadyExistsException e) {
                // Taken: another name.
            }
        }
        return Files.createTempDirectory(base, "oomguard-", mode);
    }

    /** 64 random bits from {@code /dev/urandom}; empty when it cannot be read. */
    private static OptionalLong urandom() {
        byte[] bytes = new byte[Long.BYTES];
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            int n = 0;
            while (n < bytes.length) {
                int r = in.read(bytes, n, bytes.length - n);
                if (r < 0) {
                    return OptionalLong.empty();
                }
                n += r;
            }
        } catch (IOException | SecurityException e) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xff);
        }
        return OptionalLong.of(value);
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
        try {
            Files.deleteIfExists(dir); // empty, as it mostly is (the flag file never asked for): nothing to list
            return;
        } catch (IOException e) {
            // Not empty (DirectoryNotEmptyException): what is in it goes first.
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
