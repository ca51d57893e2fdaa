package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the built launcher, with the JVM's class loading logged: a plain run parses its command line
 * without loading any picocli class, and the class-data-sharing archive holds what it loads; help still
 * comes from picocli, which the archive leaves out (from the jar).
 */
class PlainRunClassesIT {
    @TempDir
    Path dir;

    private List<String> loaded(String... args) throws IOException {
        Path log = dir.resolve("classes-" + args.length + ".txt");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("OOMGUARD_JVM_FLAGS", "-Xlog:class+load=info:file=" + log);
        env.remove("OOMGUARD_OPTS");
        env.put("XDG_CONFIG_HOME", dir.toString());
        Oomguard.Result r = Oomguard.create().environment(env).run(args);
        assertThat(r.status()).as(r.stderr()).isZero();
        return Files.readAllLines(log);
    }

    @Test
    void aPlainRunLoadsNoPicocliClass() throws IOException {
        List<String> classes = loaded("-q", "--", "true");
        assertThat(classes).as("the run was logged").anyMatch(l -> l.contains(" dev.oomguard.cli.RunCommand "));
        assertThat(classes).noneMatch(l -> l.contains(" picocli."));
    }

    @Test
    void aPlainRunTakesItsClassesFromTheArchive() throws IOException {
        List<String> classes = loaded("-q", "--", "true");
        assertThat(classes).anyMatch(l -> l.contains(" dev.oomguard.cli.RunCommand source: shared objects file"));
        assertThat(classes).anyMatch(l -> l.contains(" dev.oomguard.cli.RunFastPath source: shared objects file"));
    }

    @Test
    void helpIsPicocliFromTheJar() throws IOException {
        List<String> classes = loaded("run", "--help");
        assertThat(classes).anyMatch(l -> l.matches(".* picocli\\.CommandLine source: .*oomguard\\.jar"));
    }
}
