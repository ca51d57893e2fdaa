package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.proc.FakeProc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process whose resident pages and fault counts did not move since its {@code status} was read
 * keeps those figures (its {@code status} is not read again), until something moves or the
 * refresh comes round.
 */
class SamplerStatusTest {
    @TempDir(factory = FakeProc.InMemory.class)
    Path root;
    private FakeProc proc;
    private Sampler sampler;

    @BeforeEach
    void setUp() {
        proc = new FakeProc(root);
        proc.meminfo(16 << 20, 12 << 20, 0, 0);
        proc.process(100, "job", 1, 100, 5000, 4096, 1024, 0, 10);
        sampler = new Sampler(proc.fs(), TreeSpec.of(100), LimitSources.standard().withPss(PssPolicy.never()), () -> 0L);
    }

    @Test
    void statusIsNotReadAgainWhileNothingMoved() {
        assertThat(only(sampler.sample()).rssAnonKiB()).isEqualTo(4096);
        // The split changes in status alone (same total, same faults: the stat is the same file)
        proc.process(100, "job", 1, 100, 5000, 1024, 4096, 0, 10);
        ProcessMemory p = only(sampler.sample());
        assertThat(p.rssAnonKiB()).as("the figures of the last read").isEqualTo(4096);
        assertThat(p.rssFileKiB()).isEqualTo(1024);
    }

    @Test
    void aFaultMakesTheNextTickReadStatus() throws IOException {
        sampler.sample();
        proc.process(100, "job", 1, 100, 5000, 1024, 4096, 0, 10);
        Path stat = root.resolve("proc/100/stat");
        Files.writeString(stat, Files.readString(stat).replace(" 4194304 1000 ", " 4194304 1001 "));
        assertThat(only(sampler.sample()).rssAnonKiB()).isEqualTo(1024);
    }

    @Test
    void changedResidentPagesMakeTheNextTickReadStatus() {
        sampler.sample();
        proc.process(100, "job", 1, 100, 5000, 8192, 1024, 0, 10);
        assertThat(only(sampler.sample()).rssAnonKiB()).isEqualTo(8192);
    }

    @Test
    void statusIsReadAgainAfterTheRefreshEvenWhenNothingMoved() {
        sampler.sample();
        proc.process(100, "job", 1, 100, 5000, 4096, 1024, 512, 10); // swap from a page unmapped while out, say
        for (int i = 1; i < Sampler.STATUS_REFRESH_TICKS; i++) {
            assertThat(only(sampler.sample()).swapKiB()).isZero();
        }
        assertThat(only(sampler.sample()).swapKiB()).isEqualTo(512);
    }

    @Test
    void aNewProcessOnTheSamePidIsReadAfresh() {
        proc.process(101, "child", 100, 100, 6000, 400, 0, 0, 10);
        assertThat(sampler.sample().tree()).filteredOn(p -> p.pid() == 101).singleElement()
                .satisfies(p -> assertThat(p.rssAnonKiB()).isEqualTo(400));
        // PID 101 reused by a later process: the same stat figures but its start time, and another split
        proc.process(101, "child", 100, 100, 6100, 0, 400, 0, 10);
        assertThat(sampler.sample().tree()).filteredOn(p -> p.pid() == 101).singleElement()
                .satisfies(p -> assertThat(p.rssAnonKiB()).isZero());
    }

    private static ProcessMemory only(Sample s) {
        assertThat(s.tree()).hasSize(1);
        return s.tree().get(0);
    }
}
