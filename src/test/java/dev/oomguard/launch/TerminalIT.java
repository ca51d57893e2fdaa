package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * oomguard on a real terminal: an interactive bash in a real tmux pane, keys typed with
 * send-keys and the screen read with capture-pane, as a person would use it.
 */
class TerminalIT {
    private final String socket = "oomguard-it-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startTmux() throws Exception {
        assumeTrue(tmux("-V").startsWith("tmux"), "tmux is not installed (apt-get install tmux)");
        tmux("new-session", "-d", "-s", "t", "-x", "160", "-y", "40", "env", "PS1=[og]", "bash", "--norc", "--noprofile");
        waitForScreen("[og]");
    }

    @AfterEach
    void stopTmux() throws Exception {
        tmux("kill-server");
    }

    @Test
    void anInteractiveJobReadsTheTerminalAndItsStatusComesBack() throws Exception {
        type(Oomguard.launcher() + " -- sh -c 'read line; echo \"got:$line\"; exit 4'; echo \"rc=$?\"");
        Thread.sleep(1500); // the job is waiting at its read: typing ahead would work too
        type("hello");
        assertThat(waitForScreen("rc=4")).contains("got:hello");
    }

    @Test
    void ctrlCReachesTheJobOnceAndGives130() throws Exception {
        // The trap prints "int-seen" built from two words, so the echoed command line does not count.
        type(Oomguard.launcher() + " -- sh -c 'trap \"echo int-\\$(echo seen); exit 130\" INT; sleep 30 & wait';"
                + " echo \"rc=$?\"");
        Thread.sleep(1500);
        tmux("send-keys", "-t", "t", "C-c");
        String screen = waitForScreen("rc=130");
        assertThat(screen.split("int-seen", -1)).as("the job saw INT exactly once").hasSize(2);
        assertThat(screen).as("sleep ignores INT in a non-interactive sh and is stopped at the end")
                .contains("the job left 1 process(es) running");
    }

    @Test
    void ctrlZStopsTheJobAndFgResumesIt() throws Exception {
        type(Oomguard.launcher() + " -- sh -c 'read a; echo \"first:$a\"; read b; echo \"second:$b\"; exit 6'");
        Thread.sleep(1500);
        type("one");
        waitForScreen("first:one");
        tmux("send-keys", "-t", "t", "C-z");
        waitForScreen("Stopped");
        type("echo \"stopped-rc=$?\"");
        // bash reports 148 (128 + SIGTSTP) for a job stopped by Ctrl-Z, with or without oomguard.
        waitForScreen("stopped-rc=148");
        type("fg");
        Thread.sleep(1000);
        type("two");
        waitForScreen("second:two");
        type("echo \"rc=$?\"");
        assertThat(waitForScreen("rc=6")).doesNotContain("Stopped (signal)");
    }

    private void type(String line) throws Exception {
        tmux("send-keys", "-t", "t", "-l", line);
        tmux("send-keys", "-t", "t", "Enter");
    }

    private String waitForScreen(String expected) throws Exception {
        String screen = "";
        for (int i = 0; i < 150; i++) {
            screen = tmux("capture-pane", "-p", "-t", "t");
            if (screen.contains(expected)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + expected + "' did not appear; the screen:\n" + screen);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "";
        }
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void titleAndStatusShowTheMemoryOnATerminalAndTheSummaryHasASparkline() throws Exception {
        type(Oomguard.launcher() + " --title --status --interval 100ms -- sleep 3");
        String title = "";
        for (int i = 0; i < 100 && !title.contains("left"); i++) {
            Thread.sleep(100);
            title = tmux("display", "-p", "-t", "t", "#{pane_title}");
        }
        assertThat(title).as("the pane title while the job runs").startsWith("oomguard: ").contains(" left");
        assertThat(tmux("capture-pane", "-p", "-t", "t")).as("the live status line").contains("oomguard: ")
                .contains(" left");
        String screen = waitForScreen("memory over time: ");
        assertThat(screen).containsPattern("memory over time: [\u2581-\u2588]+");
        assertThat(tmux("display", "-p", "-t", "t", "#{pane_title}")).startsWith("oomguard: exit status 0");
    }

    @Test
    void noTitleOrStatusWhenStderrIsNotATerminal() throws Exception {
        java.nio.file.Path log = java.nio.file.Files.createTempFile("oomguard-status", ".log");
        try {
            String before = tmux("display", "-p", "-t", "t", "#{pane_title}");
            type(Oomguard.launcher() + " --title --status --interval 100ms -- sleep 1.5 2>" + log + "; echo done-$?");
            waitForScreen("done-0");
            String written = java.nio.file.Files.readString(log);
            assertThat(written).as("the summary, and no escape sequence").contains("memory over time:")
                    .doesNotContain("\033").doesNotContain("\r");
            assertThat(tmux("display", "-p", "-t", "t", "#{pane_title}")).isEqualTo(before);
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }
}
