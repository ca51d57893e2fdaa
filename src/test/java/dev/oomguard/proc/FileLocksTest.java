package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocksTest {
    @TempDir
    Path dir;

    /** From this machine's /proc/locks while flock(1) and a SIGKILLed oomguard's job held locks. */
    private static final String LOCKS = """
            1: FLOCK  ADVISORY  WRITE 1529 fe:00:2154772 0 EOF
            1: -> FLOCK  ADVISORY  WRITE 1600 fe:00:2154772 0 EOF
            2: FLOCK  ADVISORY  WRITE 953 fe:00:2154750 0 EOF
            3: POSIX  ADVISORY  WRITE 847 fe:00:2154772 0 EOF
            4: OFDLCK ADVISORY  READ  -1 00:06:1050 0 EOF
            """;

    @Test
    void namesTheTakerOfAnFlockOnThatDeviceAndInodeNotWaitersOrOtherKinds() {
        long stDev = 0xfe00; // st_dev of major 0xfe, minor 0
        assertThat(FileLocks.parse(LOCKS, stDev, 2154772)).containsExactly(1529);
        assertThat(FileLocks.parse(LOCKS, stDev, 2154750)).containsExactly(953);
        assertThat(FileLocks.parse(LOCKS, 0x801, 2154772)).isEmpty();
        assertThat(FileLocks.parse("garbage\n\n", stDev, 1)).isEmpty();
    }
}
