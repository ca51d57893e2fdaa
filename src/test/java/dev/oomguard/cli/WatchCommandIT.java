package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** watch on the live system: oomguard itself and its callers are not a job to watch. */
class WatchCommandIT {
    @Test
    void oomguardItselfAndItsCallersAreNotTheJob() {
        WatchCommandTest.Ran r = WatchCommandTest.run("watch", "--pid", Long.toString(ProcessHandle.current().pid()));
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.err()).contains("is oomguard itself or the process that started it");
    }
}
