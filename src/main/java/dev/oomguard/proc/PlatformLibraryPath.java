package dev.oomguard.proc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * JNA's {@code jna.platform.library.path}, worked out as JNA 5.17's {@code NativeLibrary} works
 * it out, but without running {@code /sbin/ldconfig -p} (a fork and an exec through
 * {@code jspawnhelper} at every start, on the critical path and in oomguard's CPU time): the
 * directories of the libraries in the dynamic linker's cache are read from
 * {@code /etc/ld.so.cache} itself, which is the file {@code ldconfig -p} prints. The property
 * changes nothing of libc: JNA opens {@code "c"} as the process itself ({@code dlopen(NULL)}) on
 * Linux; it is where JNA looks for other libraries (OSHI's {@code libudev.so.1}) when
 * {@code dlopen} alone does not find them.
 *
 * <p>JNA's order: its default directories first ({@code /usr/lib/MULTIARCH}, {@code /lib/MULTIARCH},
 * {@code /usr/lib64}, {@code /lib64}, {@code /usr/lib}, {@code /lib}), then the cache's directories
 * in the cache's order, each once; only those that are directories, joined with {@code :}.
 */
final class PlatformLibraryPath {
    /** JNA's property. */
    static final String PROPERTY = "jna.platform.library.path";
    /** The dynamic linker's cache. */
    static final String CACHE = "/etc/ld.so.cache";

    private static final byte[] NEW_MAGIC = "glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OLD_MAGIC = "ld.so-1.7.0".getBytes(StandardCharsets.US_ASCII);
    private static final int NEW_HEADER = 48;
    private static final int NEW_ENTRY = 24;
    private static final int OLD_HEADER = 16;
    private static final int OLD_ENTRY = 12;

    private PlatformLibraryPath() {
    }

    /**
     * JNA's multiarch directory name for {@code osArch}, as {@code NativeLibrary.getMultiArchPath}
     * makes it; empty where we do not know JNA's answer (the property is then left to JNA). On
     * aarch64 JNA says {@code arm-linux-gnueabi} (its {@code isARM()} is true there): kept, since
     * the point is JNA's path without the exec, not a better one.
     */
    static Optional<String> multiArch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> Optional.of("x86_64-linux-gnu");
            case "aarch64", "arm64" -> Optional.of("arm-linux-gnueabi");
            default -> Optional.empty();
        };
    }

    /** The path: JNA's defaults for {@code multiArch}, then {@code cached}, kept where {@code isDirectory}. */
    static String path(String multiArch, List<String> cached, Predicate<String> isDirectory) {
        // concat(), not +: the first string concatenation of a JVM bootstraps invokedynamic (ms), and this runs first
        Set<String> all = new LinkedHashSet<>(List.of("/usr/lib/".concat(multiArch), "/lib/".concat(multiArch),
                "/usr/lib64", "/lib64", "/usr/lib", "/lib"));
        all.addAll(cached);
        StringBuilder path = new StringBuilder();
        for (String dir : all) {
            if (isDirectory.test(dir)) {
                if (path.length() > 0) {
                    path.append(':');
                }
                path.append(dir);
            }
        }
        return path.toString();
    }

    /**
     * The directories of the libraries in {@code cache} (the bytes of {@code /etc/ld.so.cache}),
     * each once, in the cache's order, as JNA takes them from {@code ldconfig -p}: the text before
     * the last {@code /} of each path. glibc's format ({@code glibc-ld.so.cache1.1}), alone or after
     * the old one ({@code ld.so-1.7.0}), or the old one alone.
     *
     * @throws Malformed when it is none of these or an entry points outside the file
     */
    static List<String> cachedDirectories(byte[] cache) throws Malformed {
        ByteBuffer b = ByteBuffer.wrap(cache).order(ByteOrder.nativeOrder());
        if (startsWith(cache, 0, NEW_MAGIC)) {
            return newFormat(b, 0);
        }
        if (!startsWith(cache, 0, OLD_MAGIC) || cache.length < OLD_HEADER) {
            throw new Malformed(CACHE, null, "not a dynamic linker cache");
        }
        long oldLibs = Integer.toUnsignedLong(b.getInt(12));
        long oldEnd = OLD_HEADER + oldLibs * OLD_ENTRY;
        if (oldEnd > cache.length) {
            throw new Malformed(CACHE, null, "the cache's entries run past its end");
        }
        long newStart = (oldEnd + 7) & ~7L; // glibc aligns the new format after the old one
        if (newStart < cache.length && startsWith(cache, (int) newStart, NEW_MAGIC)) {
            return newFormat(b, (int) newStart);
        }
        List<String> dirs = new ArrayList<>();
        for (int i = 0; i < oldLibs; i++) { // the old format alone: strings follow the entries
            add(dirs, cache, oldEnd + Integer.toUnsignedLong(b.getInt(OLD_HEADER + i * OLD_ENTRY + 8)));
        }
        return dirs;
    }

    private static List<String> newFormat(ByteBuffer b, int start) throws Malformed {
        byte[] cache = b.array();
        if (cache.length - start < NEW_HEADER) {
            throw new Malformed(CACHE, null, "the cache's header is cut short");
        }
        long libs = Integer.toUnsignedLong(b.getInt(start + NEW_MAGIC.length));
        if (start + NEW_HEADER + libs * NEW_ENTRY > cache.length) {
            throw new Malformed(CACHE, null, "the cache's entries run past its end");
        }
        List<String> dirs = new ArrayList<>();
        for (int i = 0; i < libs; i++) { // string offsets count from the new format's own start
            add(dirs, cache, start + Integer.toUnsignedLong(b.getInt(start + NEW_HEADER + i * NEW_ENTRY + 8)));
        }
        return dirs;
    }

    /** The directory of the NUL-terminated path at {@code at}, when it has one and is new. */
    private static void add(List<String> dirs, byte[] cache, long at) throws Malformed {
        if (at >= cache.length) {
            throw new Malformed(CACHE, null, "a library's path lies outside the cache");
        }
        int end = (int) at;
        int slash = -1;
        while (end < cache.length && cache[end] != 0) {
            if (cache[end] == '/') {
                slash = end;
            }
            end++;
        }
        if (end == cache.length) {
            throw new Malformed(CACHE, null, "a library's path runs past the cache's end");
        }
        if (slash > at) { // JNA: the text between "=> " and the last '/', when there is some
            String dir = new String(cache, (int) at, slash - (int) at, StandardCharsets.UTF_8);
            if (!dirs.contains(dir)) {
                dirs.add(dir);
            }
        }
    }

    private static boolean startsWith(byte[] data, int at, byte[] magic) {
        if (data.length - at < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[at + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
