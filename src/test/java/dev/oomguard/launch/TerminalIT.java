package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.testing.Oomguard;
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
        type(Oomguard.launcher() + " -- sh -c 'trap \"echo int-\\$(echo seen); exit 130\" INT;"
                + " echo job-$(echo ready); sleep 30 & wait'; echo \"rc=$?\"");
        waitForScreen("job-ready"); // not a fixed sleep: on a loaded machine the JVM may take seconds to start
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

    /** A job that prints a numbered tick every 100 ms and notes the signals it gets, until told to end. */
    private static final String TICKER = "import signal, sys, time, os\n"
            + "d = sys.argv[1]\n"
            + "got = []\n"
            + "for s in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGCONT, signal.SIGTSTP, signal.SIGWINCH):\n"
            + "    signal.signal(s, lambda n, f: got.append(signal.Signals(n).name))\n"
            + "open(d + '/ready', 'w').close()\n"
            + "i = 0\n"
            + "while not os.path.exists(d + '/end') and 'SIGHUP' not in got:\n"
            + "    i += 1\n"
            + "    print('tick', i, flush=True)\n"
            + "    time.sleep(0.1)\n"
            + "time.sleep(1)\n"  // time for a second HUP to arrive, if one were sent
            + "open(d + '/signals', 'w').write(' '.join(got))\n"
            + "if 'SIGHUP' in got:\n"  // the terminal is gone: die of it, as a job without a handler would
            + "    signal.signal(signal.SIGHUP, signal.SIG_DFL)\n"
            + "    os.kill(os.getpid(), signal.SIGHUP)\n"
            + "print('signals:', ' '.join(s for s in got if s != 'SIGWINCH') or 'none', flush=True)\n";

    @Test
    void detachAndReattachLeaveTheJobAloneAndItsOutputIntact() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("oomguard-tmux");
        java.nio.file.Files.writeString(dir.resolve("ticker.py"), TICKER);
        Process client = attach();
        try {
            type(Oomguard.launcher() + " -- python3 " + dir.resolve("ticker.py") + " " + dir + "; echo \"rc=$?\"");
            waitForScreen("tick 5");
            tmux("detach-client", "-s", "t");
            client.waitFor(10, TimeUnit.SECONDS);
            assertThat(tmux("list-clients", "-t", "t")).as("no client attached").isBlank();
            int before = lastTick(tmux("capture-pane", "-p", "-t", "t"));
            Thread.sleep(1500);
            int detached = lastTick(tmux("capture-pane", "-p", "-t", "t"));
            assertThat(detached).as("the job ticks on while detached").isGreaterThan(before);
            client = attach();
            assertThat(tmux("list-clients", "-t", "t")).as("reattached").isNotBlank();
            waitForScreen("tick " + (detached + 5));
            java.nio.file.Files.createFile(dir.resolve("end"));
            String screen = waitForScreen("rc=0");
            assertThat(screen).as("no signal but the resize of a new client").contains("signals: none");
            String all = tmux("capture-pane", "-p", "-t", "t", "-S", "-10000");
            java.util.List<Integer> ticks = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^tick (\\d+)$").matcher(all);
            while (m.find()) {
                ticks.add(Integer.parseInt(m.group(1)));
            }
            assertThat(ticks).as("every tick, in order, none lost").isNotEmpty();
            for (int i = 0; i < ticks.size(); i++) {
                assertThat(ticks.get(i)).isEqualTo(ticks.get(0) + i);
            }
        } finally {
            client.destroy();
        }
    }

    @Test
    void killSessionHangsUpTheJobOnceAndTheLogTellsWhatHappened() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("oomguard-tmux");
        java.nio.file.Files.writeString(dir.resolve("ticker.py"), TICKER);
        java.nio.file.Path log = dir.resolve("oomguard.log");
        type(Oomguard.launcher() + " --log " + log + " -- python3 " + dir.resolve("ticker.py") + " " + dir);
        waitForScreen("tick 5");
        tmux("kill-session", "-t", "t");
        String text = "";
        for (int i = 0; i < 300 && !text.contains("status: "); i++) {
            Thread.sleep(100);
            text = java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
        }
        assertThat(java.nio.file.Files.readString(dir.resolve("signals")).split("SIGHUP", -1))
                .as("the job got SIGHUP exactly once").hasSize(2);
        assertThat(text).as("oomguard survived the hangup and wrote why")
                .contains("received SIGHUP: the terminal hung up; not forwarded")
                .contains("summary of python3").contains("status: killed by SIGHUP");
    }

    /** A tmux client on a terminal of its own (script(1) gives it one), as a person's attach. */
    private Process attach() throws Exception {
        Process p = new ProcessBuilder("script", "-qfec", "tmux -L " + socket + " attach -t t", "/dev/null")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        for (int i = 0; i < 100 && tmux("list-clients", "-t", "t").isBlank(); i++) {
            Thread.sleep(100);
        }
        return p;
    }

    private static int lastTick(String screen) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^tick (\\d+)$").matcher(screen);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
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
