package dev.oomguard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell block of README.md and docs/*.md marked {@code sh runnable} runs as written: with
 * the built launcher on PATH as {@code oomguard}, in the project's directory, ending with the
 * status the block documents (0 unless {@code exit=N}). The marker and the rules are described
 * in docs/internals.md.
 */
class DocsCommandsIT {
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    static List<RunnableBlock> blocks() {
        List<RunnableBlock> all = new ArrayList<>();
        for (Path page : DocsPages.pages()) {
            all.addAll(RunnableBlock.parse(page.toString(), DocsPages.read(page)));
        }
        return all;
    }

    @Test
    void theReadmeAndTheDocsHaveRunnableBlocks() {
        List<RunnableBlock> all = blocks();
        assertThat(all).as("runnable blocks in README.md").anyMatch(b -> b.file().equals("README.md"));
        assertThat(all.stream().map(RunnableBlock::file).distinct().count()).as("pages with runnable blocks")
                .isGreaterThan(3);
    }

    @TestFactory
    Stream<DynamicTest> eachRunnableBlockEndsWithItsDocumentedStatus() {
        return blocks().stream().map(block -> DynamicTest.dynamicTest(block.toString(), () -> run(block)));
    }

    private void run(RunnableBlock block) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "block");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("oomguard"), Oomguard.launcher());
        Path work = Files.createDirectories(dir.resolve("tmp"));
        Path script = dir.resolve("block.sh");
        Files.writeString(script, block.script());
        Path out = dir.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", script.toString())
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("TMPDIR", work.toString());
        pb.environment().remove("OOMGUARD_OPTS");
        Process p = pb.start();
        boolean ended = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        String output = read(out);
        assertThat(ended).as("%s ended within %d s; its output:%n%s", block, TIMEOUT_SECONDS, output).isTrue();
        assertThat(p.exitValue()).as("%s's exit status; the block:%n%s%nits output:%n%s", block, block.script(), output)
                .isEqualTo(block.expectedStatus());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
