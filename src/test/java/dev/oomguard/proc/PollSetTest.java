package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Eventfds waited on in a poll set: what the checkpoint reflex's thread does between the kernel and the signal. */
class PollSetTest {
    @Test
    void anEventfdIsReadableOnceSignalledAndDrainsToZero() throws Exception {
        KernelEvents kernel = KernelEvents.load();
        try (EventFd quiet = kernel.openEventFd(); EventFd woken = kernel.openEventFd()) {
            PollSet set = new PollSet(2);
            int q = set.add(quiet.fd());
            int w = set.add(woken.fd());
            assertThat(set.poll(0)).isZero();
            assertThat(set.readable(w)).isFalse();

            woken.signal();
            woken.signal();
            assertThat(set.poll(1000)).isEqualTo(1);
            assertThat(set.readable(w)).isTrue();
            assertThat(set.signalled(q)).isFalse();
            assertThat(woken.drain()).isEqualTo(2);
            assertThat(woken.drain()).isZero();

            set.clear();
            set.add(woken.fd());
            assertThat(set.poll(LibC.INSTANCE, 0)).isZero();
        }
    }

    @Test
    void aClosedEventfdIsNeitherSignalledNorDrained() throws Exception {
        EventFd e = KernelEvents.load().openEventFd();
        e.close();
        assertThat(e.fd()).isEqualTo(-1);
        e.signal();
        assertThat(e.drain()).isZero();
        e.close();
    }

    @Test
    void aSetHoldsWhatItWasMadeFor() {
        PollSet set = new PollSet(1);
        set.add(0);
        assertThatThrownBy(() -> set.add(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        assertThatThrownBy(() -> set.readable(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new PollSet(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errnoIsToldByNameAndInWords() {
        assertThat(Errno.of(11)).contains(Errno.EAGAIN);
        assertThat(Errno.ENOENT.meaning()).isEqualTo("No such file or directory");
        assertThat(Errno.describe(13)).isEqualTo("Permission denied");
        assertThat(Errno.of(0)).isEmpty();
        assertThat(Errno.describe(9999)).isEqualTo("errno 9999");
        SyscallException e = new SyscallException("open /x", 2);
        assertThat(e.is(Errno.ENOENT)).isTrue();
        assertThat(e).hasMessage("open /x: No such file or directory");
    }
}
