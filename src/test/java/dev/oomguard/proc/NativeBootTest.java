package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBootTest {
    @Test
    void aFileIsSafeOnlyWhenOwnedByRootOrUsAndWritableByNoOneElse() {
        assertThat(new NativeBoot.Attributes(0, 0644, false, true).safeFor(1000, false)).isTrue();
        assertThat(new NativeBoot.Attributes(1000, 0755, true, false).safeFor(1000, true)).isTrue();
        assertThat(new NativeBoot.Attributes(1000, 0644, false, true).safeFor(0, false)).as("another user's").isFalse();
        assertThat(new NativeBoot.Attributes(0, 0664, false, true).safeFor(0, false)).as("group-writable").isFalse();
        assertThat(new NativeBoot.Attributes(0, 0777, true, false).safeFor(0, true)).as("world-writable").isFalse();
        assertThat(new NativeBoot.Attributes(0, 01777, true, false).safeFor(0, true)).as("sticky, as /tmp").isTrue();
        assertThat(new NativeBoot.Attributes(0, 01777, true, false).safeFor(0, false)).isFalse();
    }

    @Test
    void jnasPlatformNamesForLinux() {
        assertThat(NativeBoot.platformDirectory("Linux", "amd64")).hasValue("linux-x86-64");
        assertThat(NativeBoot.platformDirectory("Linux", "aarch64")).hasValue("linux-aarch64");
        assertThat(NativeBoot.platformDirectory("Linux", "s390x")).isEmpty();
        assertThat(NativeBoot.platformDirectory("Mac OS X", "aarch64")).isEmpty();
    }

    @Test
    void aLibraryInADirectoryOthersCanWriteIsNotTrusted(@TempDir Path dir) throws IOException {
        int euid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path lib = Files.writeString(dir.resolve("libjnidispatch.so"), "x");
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // @TempDir lives under java.io.tmpdir (/tmp, sticky): the chain is trusted as made.
        assertThat(NativeBoot.trustedFile(lib, euid)).hasValue(lib.toRealPath());

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(NativeBoot.trustedFile(lib, euid)).isEmpty();

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(NativeBoot.trustedFile(lib, euid)).isEmpty();

        Path link = Files.createSymbolicLink(dir.resolve("link.so"), lib);
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(NativeBoot.trustedFile(link, euid)).as("judged where the link leads").hasValue(lib.toRealPath());
    }

    @Test
    void theBundledCopyMakesJnaLookNowhereElse() {
        assertThat(NativeBoot.properties(new NativeBoot.Choice.Bundled(Path.of("/opt/oomguard/lib/native/x"))))
                .containsEntry("jna.boot.library.path", "/opt/oomguard/lib/native/x")
                .containsEntry("jna.nounpack", "true").containsEntry("jna.nosys", "true")
                .containsEntry("jna.noclasspath", "true").doesNotContainKey("jna.tmpdir");
        assertThat(NativeBoot.properties(new NativeBoot.Choice.Private(Path.of("/tmp/oomguard-native-1"))))
                .containsEntry("jna.tmpdir", "/tmp/oomguard-native-1").containsEntry("jna.nosys", "true");
        assertThat(NativeBoot.properties(new NativeBoot.Choice.None("why")))
                .containsEntry("jna.nounpack", "true").containsEntry("jna.noclasspath", "true");
    }
}
