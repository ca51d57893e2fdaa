package dev.oomguard.guard;

import static dev.oomguard.guard.Samples.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.units.ByteSize;
import org.junit.jupiter.api.Test;

class TriggerLevelsTest {
    private static final ByteSize CAP = ByteSize.ofMiB(512);

    @Test
    void aPercentageIsTheFirstByteAtOrAboveIt() {
        assertThat(TriggerLevels.usedLevel(Threshold.parse("99%"), CAP)).isEqualTo((long) Math.ceil(512 * MIB * 0.99));
        assertThat(TriggerLevels.usedLevel(Threshold.parse("100%"), CAP)).isEqualTo(512 * MIB);
        Limit at = Samples.limit(LimitSource.CGROUP_V1, CAP.bytes(), TriggerLevels.usedLevel(Threshold.parse("99%"), CAP));
        assertThat(Threshold.parse("99%").reached(at)).isTrue();
    }

    @Test
    void aHeadroomIsReachedOneByteAfterItsComplement() {
        long level = TriggerLevels.usedLevel(Threshold.parse("64M"), CAP);
        assertThat(level).isEqualTo(448 * MIB + 1);
        assertThat(Threshold.parse("64M").reached(Samples.limit(LimitSource.CGROUP_V1, CAP.bytes(), level))).isTrue();
        assertThat(Threshold.parse("64M").reached(Samples.limit(LimitSource.CGROUP_V1, CAP.bytes(), level - 1))).isFalse();
    }

    @Test
    void aLevelIsCarriedOverToTheUsageFileAsAnOffset() {
        // usage_in_bytes counts 30 MiB of cache the limit's working set leaves out
        TriggerLevels.Base base = new TriggerLevels.Base(Samples.limit(LimitSource.CGROUP_V1, CAP.bytes(), 300 * MIB), 330 * MIB);
        assertThat(base.fileLevel(500 * MIB)).isEqualTo(530 * MIB);
        assertThat(base.fileLevelAtMost(500 * MIB)).as("the file never counts less than the use").isEqualTo(500 * MIB);
        Limit moved = base.at(400 * MIB);
        assertThat(moved.used().bytes()).isEqualTo(370 * MIB);
        assertThat(moved.capacity()).isEqualTo(CAP);
        assertThat(base.at(900 * MIB).headroom().bytes()).as("clamped").isZero();
        assertThat(base.at(0).headroom()).as("clamped").isEqualTo(CAP);
    }

    @Test
    void aReadingTakenWhileTheJobGrewCannotPutALevelOutOfReach() {
        // paired 14 MiB late: the file reads more than the use plus cache at the sample
        TriggerLevels.Base base = new TriggerLevels.Base(Samples.limit(LimitSource.CGROUP_V1, CAP.bytes(), 300 * MIB), 315 * MIB);
        assertThat(base.fileLevelAtMost(507 * MIB)).isLessThanOrEqualTo(CAP.bytes());
    }
}
