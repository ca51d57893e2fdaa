package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlatformLibraryPathTest {
    private static final List<String> LIBS = List.of("/lib/x86_64-linux-gnu/libz.so.1", "/usr/local/lib/libfoo.so",
            "/lib/x86_64-linux-gnu/libudev.so.1", "/opt/x/lib/libbar.so.2", "/libroot.so");

    @Test
    void theNewFormatGivesEachLibrarysDirectoryOnceInTheCachesOrder() {
        assertThat(PlatformLibraryPath.cachedDirectories(newFormat(LIBS)))
                .containsExactly("/lib/x86_64-linux-gnu", "/usr/local/lib", "/opt/x/lib");
    }

    @Test
    void theNewFormatAfterTheOldOneIsRead() {
        byte[] old = oldFormat(List.of("/old/only/libx.so"), true);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(old);
        both.writeBytes(newFormat(LIBS));
        assertThat(PlatformLibraryPath.cachedDirectories(both.toByteArray()))
                .as("the new format's entries, as ldconfig -p prints them").containsExactly("/lib/x86_64-linux-gnu",
                        "/usr/local/lib", "/opt/x/lib");
    }

    @Test
    void theOldFormatAloneIsRead() {
        assertThat(PlatformLibraryPath.cachedDirectories(oldFormat(List.of("/a/libx.so", "/b/liby.so", "/a/libz.so"), false)))
                .containsExactly("/a", "/b");
    }

    @Test
    void whatIsNoCacheIsMalformed() {
        assertThatThrownBy(() -> PlatformLibraryPath.cachedDirectories("not a cache".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(Malformed.class);
        byte[] cut = newFormat(LIBS);
        assertThatThrownBy(() -> PlatformLibraryPath.cachedDirectories(java.util.Arrays.copyOf(cut, 60)))
                .as("entries past the end").isInstanceOf(Malformed.class);
        byte[] pointsOut = newFormat(LIBS);
        ByteBuffer.wrap(pointsOut).order(ByteOrder.nativeOrder()).putInt(48 + 8, pointsOut.length + 10);
        assertThatThrownBy(() -> PlatformLibraryPath.cachedDirectories(pointsOut)).as("a path outside the file")
                .isInstanceOf(Malformed.class);
        byte[] unterminated = newFormat(LIBS);
        unterminated[unterminated.length - 1] = 'x';
        assertThatThrownBy(() -> PlatformLibraryPath.cachedDirectories(unterminated)).isInstanceOf(Malformed.class);
    }

    @Test
    void jnasDefaultsComeFirstThenTheCachesDirectoriesEachOnceOnlyThoseThatExist() {
        Set<String> present = Set.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib", "/lib",
                "/usr/local/lib");
        assertThat(PlatformLibraryPath.path("x86_64-linux-gnu", List.of("/usr/local/lib", "/lib/x86_64-linux-gnu",
                "/gone"), present::contains))
                .isEqualTo("/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib:/lib:/usr/local/lib");
        assertThat(PlatformLibraryPath.path("x86_64-linux-gnu", List.of(), d -> false)).isEmpty();
    }

    @Test
    void theMultiarchNameIsJnas() {
        assertThat(PlatformLibraryPath.multiArch("amd64")).hasValue("x86_64-linux-gnu");
        assertThat(PlatformLibraryPath.multiArch("aarch64")).as("JNA's isARM() holds on aarch64").hasValue("arm-linux-gnueabi");
        assertThat(PlatformLibraryPath.multiArch("s390x")).isEmpty();
    }

    /** On a glibc machine, what JNA would have taken from {@code ldconfig -p}, line by line as JNA parses it. */
    @Test
    void thisMachinesCacheGivesWhatLdconfigPrints() throws IOException, InterruptedException {
        Path cache = Path.of(PlatformLibraryPath.CACHE);
        assumeTrue(Files.isReadable(cache) && Files.isExecutable(Path.of("/sbin/ldconfig")), "a glibc machine");
        Process p = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(false).start();
        List<String> fromLdconfig = new ArrayList<>();
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            int start = line.indexOf(" => ");
            int end = line.lastIndexOf('/');
            if (start != -1 && end != -1 && start < end) {
                String dir = line.substring(start + 4, end);
                if (!dir.isEmpty() && !fromLdconfig.contains(dir)) {
                    fromLdconfig.add(dir);
                }
            }
        }
        assumeTrue(p.waitFor() == 0 && !fromLdconfig.isEmpty(), "ldconfig -p lists the cache");
        assertThat(PlatformLibraryPath.cachedDirectories(Files.readAllBytes(cache))).isEqualTo(fromLdconfig);
    }

    /** glibc's format: header of 48 bytes, entries of 24, strings after; offsets from the header's start. */
    private static byte[] newFormat(List<String> paths) {
        int stringsAt = 48 + 24 * paths.size();
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(stringsAt).order(ByteOrder.nativeOrder());
        b.put("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII));
        b.putInt(20, paths.size());
        for (int i = 0; i < paths.size(); i++) {
            int key = stringsAt + strings.size();
            strings.writeBytes((name(paths.get(i)) + "\0").getBytes(StandardCharsets.UTF_8));
            int value = stringsAt + strings.size();
            strings.writeBytes((paths.get(i) + "\0").getBytes(StandardCharsets.UTF_8));
            b.putInt(48 + i * 24, 0x303).putInt(48 + i * 24 + 4, key).putInt(48 + i * 24 + 8, value);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(b.array());
        all.writeBytes(strings.toByteArray());
        return all.toByteArray();
    }

    /** The old format: header of 16 bytes, entries of 12; strings after the entries, or (compat) padding to 8 only. */
    private static byte[] oldFormat(List<String> paths, boolean compatPrefix) {
        int end = 16 + 12 * paths.size();
        ByteBuffer b = ByteBuffer.allocate(end).order(ByteOrder.nativeOrder());
        b.put("ld.so-1.7.0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(12, paths.size());
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        for (int i = 0; i < paths.size(); i++) {
            b.putInt(16 + i * 12, 1).putInt(16 + i * 12 + 4, 0).putInt(16 + i * 12 + 8, strings.size());
            strings.writeBytes((paths.get(i) + "\0").getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(b.array());
        if (compatPrefix) {
            all.writeBytes(new byte[((end + 7) & ~7) - end]); // the new format follows, aligned
        } else {
            all.writeBytes(strings.toByteArray());
        }
        return all.toByteArray();
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
