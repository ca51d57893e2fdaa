package dev.oomguard.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {
    @TempDir
    Path base;

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void itHasARandomNameModeSevenHundredAndIsOurs() throws IOException {
        int me = uid(base);
        try (PrivateDirectory a = PrivateDirectory.create(base, me); PrivateDirectory b = PrivateDirectory.create(base, me)) {
            assertThat(a.path().getParent()).isEqualTo(base);
            assertThat(a.path().getFileName().toString()).matches("oomguard-[0-9]+").isNotEqualTo(b.path().getFileName().toString());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.path()))).isEqualTo("rwx------");
        }
    }

    @Test
    void closingRemovesWhatIsInItButNeverFollowsALink() throws IOException {
        int me = uid(base);
        Path outside = Files.createDirectory(base.resolve("outside"));
        Path victim = Files.writeString(outside.resolve("victim"), "precious");
        PrivateDirectory d = PrivateDirectory.create(base, me);
        Files.writeString(d.path().resolve("checkpoint"), "x");
        Files.createSymbolicLink(d.path().resolve("link"), outside);
        Files.createSymbolicLink(d.path().resolve("vlink"), victim);
        d.close();
        assertThat(d.path()).doesNotExist();
        assertThat(victim).hasContent("precious");
    }

    @Test
    void aDirectoryThatIsNotOursOrOpenToOthersIsRefusedAndLeftAlone() throws IOException {
        int me = uid(base);
        PrivateDirectory d = PrivateDirectory.create(base, me);
        assertThatThrownBy(() -> PrivateDirectory.create(base, me + 1).close()).hasMessageContaining("belongs to user " + me);
        Files.setPosixFilePermissions(d.path(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(d::verify).hasMessageContaining("is open to others (mode 777)");
        Files.writeString(d.path().resolve("kept"), "x");
        d.close();
        assertThat(d.path().resolve("kept")).exists();
    }

    @Test
    void aDirectoryReplacedByALinkIsNeitherUsedNorEmptied() throws IOException {
        int me = uid(base);
        Path target = Files.createDirectory(base.resolve("target"));
        Path victim = Files.writeString(target.resolve("victim"), "precious");
        PrivateDirectory d = PrivateDirectory.create(base, me);
        Files.delete(d.path());
        Files.createSymbolicLink(d.path(), target);
        assertThatThrownBy(d::verify).hasMessageContaining("is a symbolic link");
        d.close();
        assertThat(victim).hasContent("precious");
    }

    @Test
    void aBaseThatIsNotThereIsOneLine() {
        assertThatThrownBy(() -> PrivateDirectory.create(base.resolve("nope"), 0))
                .hasMessageStartingWith("cannot make a private directory in " + base.resolve("nope") + ": no such file");
    }
}
