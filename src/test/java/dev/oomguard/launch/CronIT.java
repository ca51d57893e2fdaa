package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * oomguard as cron runs it: no terminal, stdin from /dev/null, a minimal environment
 * ({@code env -i PATH=/usr/bin:/bin HOME=...}), the crontab line run by {@code sh -c}, and
 * whatever it prints on stdout or stderr mailed (MAILTO): so on success nothing at all.
 */
class CronIT {
    @TempDir
    Path home;

    /** Runs a crontab line the way cron does (cron also turns an unescaped % into a newline). */
    private Oomguard.Result cron(String line) {
        String withLauncher = line.replace("oomguard ", "'" + Oomguard.launcher() + "' ");
        return TransparencyIT.plain(List.of("env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home, "SHELL=/bin/sh",
                "LOGNAME=root", "sh", "-c", withLauncher + " </dev/null"), 120);
    }

    private Process cronStart(String line) throws IOException {
        String withLauncher = line.replace("oomguard ", "'" + Oomguard.launcher() + "' ");
        return new ProcessBuilder("env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home, "sh", "-c",
                "exec " + withLauncher + " </dev/null").start();
    }

    @Test
    void quietSaysNothingAtAllWhenTheJobSucceedsAndTheLogHasTheSummary() throws IOException {
        Oomguard.Result r = cron("oomguard --quiet --log $HOME/nightly.log --lock $HOME/nightly.lock"
                + " -- sh -c 'echo results > $HOME/out.txt'");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).as("nothing for cron to mail").isEmpty();
        assertThat(home.resolve("out.txt")).hasContent("results");
        List<String> log = Files.readAllLines(home.resolve("nightly.log"));
        assertThat(log).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"
                + " oomguard\\[\\d+]: .*"));
        assertThat(String.join("\n", log)).contains("holding the lock " + home.resolve("nightly.lock"))
                .contains("]: started sh -c echo results").contains("]: summary of sh -c")
                .contains("status: exit status 0");
    }

    @Test
    void aFailedJobGetsTheFullReportOnStderrAndInTheLog() throws IOException {
        Oomguard.Result r = cron("oomguard -q --log $HOME/nightly.log -- sh -c 'echo partial; exit 3'");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("partial\n");
        assertThat(r.stderr()).contains("oomguard: summary of sh -c echo partial; exit 3")
                .contains("oomguard:   status: exit status 3").contains("binding limit:");
        assertThat(r.stderr().lines()).allMatch(l -> l.startsWith("oomguard: "));
        assertThat(Files.readString(home.resolve("nightly.log"))).contains("status: exit status 3");
        // A second run appends: the first run's lines are still there.
        cron("oomguard -q --log $HOME/nightly.log -- true");
        String log = Files.readString(home.resolve("nightly.log"));
        assertThat(log).contains("status: exit status 3").contains("summary of true");
    }

    @Test
    void aThresholdThatFiredGivesTheFullReportEvenWhenTheJobSucceeds() {
        // 40 MiB held against a 64 MiB cap: --warn 25% fires; nothing is stopped (it does not grow).
        Oomguard.Result r = cron("oomguard -q --limit 64M --warn 25% --interval 100ms -- python3 -c"
                + " 'import time; b = bytearray(40 << 20); b[::4096] = b\"x\" * len(b[::4096]); time.sleep(1.5)'");
        assertThat(r.status()).isZero();
        assertThat(r.stderr()).contains("oomguard: warning: --warn 25% reached on --limit ")
                .contains("oomguard: summary of python3").contains("oomguard:   action: ");
    }

    @Test
    void aProcessTheJobLeftRunningAndOomguardStoppedGetsTheReportToo() {
        Oomguard.Result r = cron("oomguard -q --grace 1s -- sh -c '(setsid sleep 30 &); sleep 0.3'");
        assertThat(r.status()).isZero();
        assertThat(r.stderr()).contains("oomguard: the job left 1 process(es) running: ")
                .contains("oomguard: summary of sh -c");
    }

    @Test
    void anUnwritableLogIsOneLineAnd125BeforeTheJobStarts() {
        Oomguard.Result r = cron("oomguard --log /nonexistent-dir/nightly.log -- sh -c 'touch $HOME/ran'");
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.stderr()).isEqualTo("oomguard: --log: cannot open /nonexistent-dir/nightly.log for appending:"
                + " No such file or directory\n");
        assertThat(home.resolve("ran")).doesNotExist();
    }

    @Test
    void twoRunsNeverOverlapTheSecondExits75WithOneLineOrWaitsWithLockWait() throws Exception {
        Path started = home.resolve("started");
        Process first = cronStart("oomguard -q --lock $HOME/job.lock -- sh -c"
                + " 'touch $HOME/started; while [ ! -e $HOME/go ]; do sleep 0.1; done; touch $HOME/first-done'");
        TransparencyIT.waitForFile(started, first);

        Oomguard.Result second = cron("oomguard -q --log $HOME/job.log --lock $HOME/job.lock -- touch $HOME/second-ran");
        assertThat(second.status()).isEqualTo(75);
        assertThat(second.stderr()).isEqualTo("oomguard: another run holds the lock " + home.resolve("job.lock")
                + " (PID " + first.pid() + "); the command was not started (exit status 75)\n");
        assertThat(home.resolve("second-ran")).doesNotExist();
        assertThat(Files.readString(home.resolve("job.log"))).contains("another run holds the lock");

        Process waiter = cronStart("oomguard -q --lock $HOME/job.lock --lock-wait 2m -- sh -c"
                + " '[ -e $HOME/first-done ] && echo ran-after-the-first'");
        Thread.sleep(1500); // the waiter is polling for the lock meanwhile
        assertThat(waiter.isAlive()).as("still waiting for the lock").isTrue();
        Files.createFile(home.resolve("go"));
        Oomguard.Result one = Oomguard.create().finish(first);
        Oomguard.Result two = Oomguard.create().finish(waiter);
        assertThat(one.status()).isZero();
        assertThat(two.status()).isZero();
        assertThat(two.out()).isEqualTo("ran-after-the-first\n");
        assertThat(two.stderr()).isEmpty();
    }

    @Test
    void lockWaitGivesUpWith75() throws Exception {
        Process first = cronStart("oomguard -q --lock $HOME/w.lock -- sh -c"
                + " 'touch $HOME/started; while [ ! -e $HOME/go ]; do sleep 0.1; done'");
        try {
            TransparencyIT.waitForFile(home.resolve("started"), first);
            Oomguard.Result r = cron("oomguard -q --lock $HOME/w.lock --lock-wait 1s -- true");
            assertThat(r.status()).isEqualTo(75);
            assertThat(r.stderr()).isEqualTo("oomguard: another run holds the lock " + home.resolve("w.lock")
                    + " (PID " + first.pid() + "; waited 1s); the command was not started (exit status 75)\n");
        } finally {
            Files.createFile(home.resolve("go"));
            assertThat(Oomguard.create().finish(first).status()).isZero();
        }
    }

    @Test
    void theLockStaysHeldWhileTheJobRunsAfterOomguardIsKilled() throws Exception {
        Path lock = home.resolve("k.lock");
        Process guarded = cronStart("oomguard -q --lock $HOME/k.lock -- sh -c"
                + " 'echo $$ > $HOME/job.tmp && mv $HOME/job.tmp $HOME/job.pid; exec sleep 60'"); // whole, when seen
        TransparencyIT.waitForFile(home.resolve("job.pid"), guarded);
        long job = Long.parseLong(Files.readString(home.resolve("job.pid")).trim());
        try {
            assertThat(ProcessHandle.of(guarded.pid()).flatMap(h -> h.info().command()).orElse(""))
                    .as("the launcher execs the JVM: this PID is oomguard").endsWith("java");
            new ProcessBuilder("kill", "-KILL", Long.toString(guarded.pid())).start().waitFor();
            guarded.waitFor();
            assertThat(ProcessHandle.of(job).map(ProcessHandle::isAlive).orElse(false)).as("the job runs on").isTrue();
            assertThat(flockNonBlocking(lock)).as("flock(1) sees the lock held").isEqualTo(1);
            Oomguard.Result again = cron("oomguard -q --lock $HOME/k.lock -- true");
            assertThat(again.status()).isEqualTo(75);
            assertThat(again.stderr()).contains("(taken by PID " + guarded.pid()
                    + ", which has ended: a process it started holds it)");
        } finally {
            ProcessHandle.of(job).ifPresent(ProcessHandle::destroy);
            for (int i = 0; i < 100 && ProcessHandle.of(job).map(ProcessHandle::isAlive).orElse(false); i++) {
                Thread.sleep(50);
            }
        }
        assertThat(flockNonBlocking(lock)).as("released when the job ends").isZero();
    }

    @Test
    void whereNoJvmCanStartTheLockIsStillHonouredThroughFlock1() throws Exception {
        Process first = cronStart("oomguard -q --lock $HOME/f.lock -- sh -c"
                + " 'touch $HOME/started; while [ ! -e $HOME/go ]; do sleep 0.1; done'");
        try {
            TransparencyIT.waitForFile(home.resolve("started"), first);
            // OOMGUARD_DISABLE=1 takes the launcher's fail-open path, as a missing or unstartable JVM does.
            Oomguard.Result r = cron("OOMGUARD_DISABLE=1 oomguard -q --lock $HOME/f.lock -- touch $HOME/ran");
            assertThat(r.status()).isEqualTo(75);
            assertThat(home.resolve("ran")).doesNotExist();
        } finally {
            Files.createFile(home.resolve("go"));
            assertThat(Oomguard.create().finish(first).status()).isZero();
        }
        Oomguard.Result free = cron("OOMGUARD_DISABLE=1 oomguard -q --lock=$HOME/f.lock --lock-wait 5s -- sh -c 'echo ran'");
        assertThat(free.status()).isZero();
        assertThat(free.out()).isEqualTo("ran\n");
    }

    private static int flockNonBlocking(Path lock) throws Exception {
        return new ProcessBuilder("flock", "-n", lock.toString(), "true").start().waitFor();
    }
}
