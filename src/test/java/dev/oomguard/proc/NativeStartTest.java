package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NativeStartTest {
    @Test
    void theBootIsDecidedOnceAndLibcComesAfterIt() {
        NativeBoot.Choice first = NativeStart.boot();
        NativeStart.begin();
        NativeStart.begin(); // a second start starts nothing
        assertThat(NativeStart.libc()).isSameAs(LibC.INSTANCE);
        assertThat(NativeStart.boot()).isSameAs(first);
        assertThat(NativeStart.libc().getpid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aWarmUpThatFailedFailsTheCallerAsLoadingLibcItselfWould() {
        UnsatisfiedLinkError linkage = new UnsatisfiedLinkError("Could not find JNA native support");
        assertThatThrownBy(() -> NativeStart.rethrown(linkage)).as("the same error: RunCommand runs the job unguarded")
                .isSameAs(linkage);
        IllegalArgumentException runtime = new IllegalArgumentException("x");
        assertThat(NativeStart.rethrown(runtime)).isSameAs(runtime);
        Exception checked = new java.io.IOException("y");
        assertThat(NativeStart.rethrown(checked)).isInstanceOf(IllegalStateException.class).hasCause(checked);
    }

    @Test
    void whereJnaLoadsItsLibraryItFindsOthersWithoutRunningLdconfig() {
        NativeBoot.Choice choice = NativeStart.boot();
        if (choice instanceof NativeBoot.Choice.Bundled || choice instanceof NativeBoot.Choice.Private) {
            assertThat(System.getProperty(PlatformLibraryPath.PROPERTY)).as("set before JNA's NativeLibrary reads it")
                    .isNotNull();
        }
    }
}
