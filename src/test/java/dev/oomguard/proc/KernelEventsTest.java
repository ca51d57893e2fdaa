package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** poll(2) and eventfd reads through the direct-mapped calls, on a real eventfd. */
class KernelEventsTest {
    @Test
    void aSignalledEventfdPollsReadyAndDrainsItsCount() throws Exception {
        KernelEvents k = KernelEvents.load();
        int a = k.eventfd();
        int b = k.eventfd();
        try {
            boolean[] ready = new boolean[2];
            assertThat(k.poll(new int[] {a, b}, ready, 0)).isFalse();
            assertThat(ready).containsExactly(false, false);
            k.signal(b);
            k.signal(b);
            assertThat(k.poll(new int[] {a, b}, ready, 1000)).isTrue();
            assertThat(ready).containsExactly(false, true);
            assertThat(k.drainEventfd(b)).isEqualTo(2);
            assertThat(k.drainEventfd(b)).as("nothing pending").isZero();
            assertThat(k.poll(new int[] {a, b}, ready, 10)).isFalse();
        } finally {
            k.close(a);
            k.close(b);
        }
    }
}
