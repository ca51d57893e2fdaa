package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HostFactsTest {
    @Test
    void oneLineForPeopleWithWhatIsKnown() {
        HostFacts h = new HostFacts(Optional.of("QEMU Standard PC"), Optional.of("AMD EPYC"), OptionalInt.of(2),
                OptionalLong.of(25_276_182_528L), Optional.of("Debian GNU/Linux 12 (bookworm)"), Optional.of("6.18.44"));
        assertThat(h.describe()).isEqualTo(
                "QEMU Standard PC · AMD EPYC × 2 · 23.5 GiB · Debian GNU/Linux 12 (bookworm) · kernel 6.18.44");
    }

    @Test
    void whatOshiCouldNotReadIsAbsentNotUnknown() {
        HostFacts h = new HostFacts(Optional.of("unknown"), Optional.of(" "), OptionalInt.of(0), OptionalLong.of(-1),
                Optional.of("Default string"), Optional.empty());
        assertThat(h).isEqualTo(HostProbe.unknown());
        assertThat(h.describe()).isEqualTo("unknown");
        HostFacts countOnly = new HostFacts(Optional.empty(), Optional.empty(), OptionalInt.of(4), OptionalLong.empty(),
                Optional.empty(), Optional.empty());
        assertThat(countOnly.describe()).isEqualTo("4 CPUs");
    }
}
