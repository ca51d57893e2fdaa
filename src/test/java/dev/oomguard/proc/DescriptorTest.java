package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorTest {
    @TempDir
    Path dir;

    @Test
    void anFlockLockIsHeldByOneOpenFileAtATime() throws Exception {
        String file = dir.resolve("a.lock").toString();
        try (Descriptor first = Descriptor.open(LibC.INSTANCE, file, LibC.O_RDONLY | LibC.O_CREAT | LibC.O_CLOEXEC, 0600);
                Descriptor second = Descriptor.open(LibC.INSTANCE, file, LibC.O_RDONLY | LibC.O_CLOEXEC)) {
            assertThat(first.tryLockExclusive()).isTrue();
            assertThat(second.tryLockExclusive()).isFalse();
            first.close();
            assertThat(second.tryLockExclusive()).isTrue();
        }
    }

    @Test
    void readsWhatIsThereAndTellsWhyAnOpenFails() throws Exception {
        Path f = dir.resolve("text");
        Files.writeString(f, "hello");
        try (Descriptor d = Descriptor.open(LibC.INSTANCE, f.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC)) {
            byte[] b = new byte[16];
            assertThat(d.read(b)).isEqualTo(5);
            assertThat(d.read(b)).isZero();
        }
        assertThatThrownBy(() -> Descriptor.open(LibC.INSTANCE, dir.resolve("missing").toString(), LibC.O_RDONLY))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.is(Errno.ENOENT)).isTrue())
                .hasMessageContaining("No such file or directory");
    }
}
