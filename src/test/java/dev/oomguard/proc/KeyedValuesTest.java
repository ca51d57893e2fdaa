package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-key lookup of the per-tick readers gives what the full parse gives, key by key. */
class KeyedValuesTest {
    @Test
    void everyKeyOfTheRealFilesIsFoundAsTheFullParseHasIt() {
        for (String fixture : new String[] {"host-6.18/meminfo", "host-6.18/self_status",
                "cgroup-v1-limited/proc_pid_status", "host-6.18/self_smaps_rollup"}) {
            String text = Fixtures.text(fixture);
            Map<String, Long> all = KeyedValues.parse(text, fixture, ':', "kB");
            assertThat(all).as(fixture).isNotEmpty();
            all.forEach((key, value) ->
                    assertThat(KeyedValues.find(text, key, fixture, ':', "kB")).as(fixture + " " + key).isEqualTo(value));
        }
    }

    @Test
    void aKeyMatchesOnlyAWholeKeyAtTheStartOfALine() {
        String text = "SwapFreeX:  5 kB\nNotSwapFree: 6 kB\nSwapFree:   7 kB\n";
        assertThat(KeyedValues.find(text, "SwapFree", "t", ':', "kB")).isEqualTo(7);
        assertThat(KeyedValues.find(text, "Swap", "t", ':', "kB")).isEqualTo(-1);
    }

    @Test
    void textFieldsAndMissingKeysAreAbsent() {
        String text = "Name:\tpython3\nCpus_allowed_list:\t0-1\nVmSize:\t 100 kB\nOdd:\t 12 MB\nEmpty:\n";
        assertThat(KeyedValues.find(text, "Name", "t", ':', "kB")).isEqualTo(-1);
        assertThat(KeyedValues.find(text, "Cpus_allowed_list", "t", ':', "kB")).isEqualTo(-1);
        assertThat(KeyedValues.find(text, "Odd", "t", ':', "kB")).isEqualTo(-1);
        assertThat(KeyedValues.find(text, "Empty", "t", ':', "kB")).isEqualTo(-1);
        assertThat(KeyedValues.find(text, "RssAnon", "t", ':', "kB")).isEqualTo(-1);
        assertThat(KeyedValues.find(text, "VmSize", "t", ':', "kB")).isEqualTo(100);
    }

    @Test
    void theLastLineNeedsNoNewlineAndSpaceSeparatedFilesWork() {
        assertThat(KeyedValues.find("a 1\noom_kill 3", "oom_kill", "t", ' ', null)).isEqualTo(3);
        assertThat(KeyedValues.find("MemTotal: 10 kB", "MemTotal", "t", ':', "kB")).isEqualTo(10);
    }

    @Test
    void aNumberOutOfRangeIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> KeyedValues.find("A: 1\nB: 99999999999999999999999 kB\n", "B", "/x", ':', "kB"))
                .isInstanceOf(Malformed.class).hasMessageContaining("/x").hasMessageContaining("B: 99999999999999999999999 kB");
        assertThatThrownBy(() -> KeyedValues.findRequired("A: 1\n", "B", "/x", ':', "kB"))
                .isInstanceOf(Malformed.class).hasMessageContaining("no 'B' line");
    }

    @Test
    void statFieldsAreFoundInPlaceWhateverTheCommHolds() {
        PidStat s = PidStat.parse("77 (a b) c) D 1 77 77 0 -1 4194560 5 0 9 0 1 2 0 0 20 0 1 0 123456 1000 42 18446744073709551615\n",
                "/proc/77/stat");
        assertThat(s).isEqualTo(new PidStat(77, "a b) c", 'D', 1, 77, 123456, 42, 9, 5, 1));
        assertThatThrownBy(() -> PidStat.parse("77 (x) SS 1 77 77 0 -1 4194560 5 0 9 0 1 2 0 0 20 0 1 0 123456 1000 42\n", "s"))
                .isInstanceOf(Malformed.class);
        assertThatThrownBy(() -> PidStat.parse("77 (x) S 1 77 77 0 -1 4194560 5 0 9 0 1 2 0 0 20 0 1 0 12x 1000 42\n", "s"))
                .isInstanceOf(Malformed.class).hasMessageContaining("not a number");
    }

    @Test
    void pidsAreOnlyWholeNumbers() {
        assertThat(ProcFs.pidOf("4242")).isEqualTo(4242);
        assertThat(ProcFs.pidOf("self")).isEqualTo(-1);
        assertThat(ProcFs.pidOf("1a")).isEqualTo(-1);
        assertThat(ProcFs.pidOf("")).isEqualTo(-1);
        assertThat(ProcFs.pidOf("99999999999")).isEqualTo(-1);
    }
}
