package dev.oomguard.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replaceWritesANewFileOrReplacesARegularOneAndLeavesNoTemporary() throws IOException {
        Path out = dir.resolve("summary.json");
        OutputFile.replace(out, utf8("one\n"), true);
        assertThat(out).hasContent("one");
        OutputFile.replace(out, utf8("two\n"), false);
        assertThat(out).hasContent("two");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(out);
        }
    }

    @Test
    void aSymbolicLinkAtTheTargetIsRefusedAndWhatItPointsToIsUntouched() throws IOException {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious");
        Path link = Files.createSymbolicLink(dir.resolve("out.json"), victim);
        assertThatThrownBy(() -> OutputFile.replace(link, utf8("x"), false))
                .hasMessage("cannot write " + link + ": it is a symbolic link, which oomguard does not replace (give"
                        + " the path of a regular file)");
        assertThatThrownBy(() -> OutputFile.checkReplaceable(link)).hasMessageContaining("it is a symbolic link");
        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void theCheckBeforeTheJobSaysWhatIsWrongInWordsAndLeavesNothingBehind() throws IOException {
        Path missing = dir.resolve("nosuchdir/x.json");
        assertThatThrownBy(() -> OutputFile.checkReplaceable(missing))
                .hasMessage("cannot write " + missing + ": there is no directory " + dir.resolve("nosuchdir"));
        Path file = dir.resolve("file");
        Files.writeString(file, "");
        assertThatThrownBy(() -> OutputFile.checkReplaceable(file.resolve("x")))
                .hasMessage("cannot write " + file.resolve("x") + ": " + file + " is not a directory");
        OutputFile.checkReplaceable(dir.resolve("fine.json"));
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void aReadOnlyDirectoryIsRefusedBeforeTheJobWhenItRefusesUs() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        ro.toFile().setWritable(false, false);
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro), "root writes anywhere: see OutputFilesIT");
            assertThatThrownBy(() -> OutputFile.checkReplaceable(ro.resolve("x")))
                    .hasMessage("cannot write " + ro.resolve("x") + ": permission denied");
        } finally {
            ro.toFile().setWritable(true, true);
        }
    }

    @Test
    void messagesAreWordsNeverAClassName() {
        assertThat(OutputFile.words(new java.nio.file.AccessDeniedException("/x"))).isEqualTo("permission denied");
        assertThat(OutputFile.words(new java.nio.file.FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("read-only file system");
        assertThat(OutputFile.words(new java.nio.file.NoSuchFileException("/x/.y.tmp")))
                .isEqualTo("no such file or directory (/x/.y.tmp)");
    }

    @Test
    void openRefusesALinkAndADeviceAndAHardLinkAndOpensARegularFile() throws IOException {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious");
        Path link = Files.createSymbolicLink(dir.resolve("log"), victim);
        assertThatThrownBy(() -> OutputFile.open(link, true)).hasMessageContaining("it is a symbolic link");
        assertThatThrownBy(() -> OutputFile.open(Path.of("/dev/null"), true))
                .hasMessage("it is a character device, not a regular file");
        Path hard = Files.createLink(dir.resolve("hard"), victim);
        assertThatThrownBy(() -> OutputFile.open(hard, false)).hasMessageStartingWith("it has 2 hard links");
        assertThat(victim).hasContent("precious");

        Path log = dir.resolve("run.log");
        Files.writeString(log, "earlier\n");
        try (FileOutputStream out = OutputFile.open(log, true)) {
            out.write(utf8("later\n"));
        }
        assertThat(log).hasContent("earlier\nlater");
        try (FileOutputStream out = OutputFile.open(log, false)) {
            out.write(utf8("fresh\n"));
        }
        assertThat(log).hasContent("fresh");
    }
}
