package dev.oomguard.report;

import dev.oomguard.proc.NativeStart;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.ComputerSystem;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * Reads the {@link HostFacts} through OSHI. OSHI is heavy (a few hundred classes, JNA, files
 * under {@code /sys} and {@code /proc}, and on some machines a helper command), so it is loaded
 * only here, by runs that write a record, on a background thread once the job runs (see
 * {@link RunRecord#describeHost}). Never throws: what fails is left out.
 */
public final class HostProbe {
    private static final String SLF4J_PROVIDER = "slf4j.provider";

    private HostProbe() {
    }

    /** This machine's facts; empty fields for what OSHI could not read, all empty if it failed. */
    public static HostFacts read() {
        if (System.getProperty(SLF4J_PROVIDER) == null) {
            // OSHI logs through SLF4J: its events are dropped rather than initialise logback's
            // defaults (every event on stdout, the job's); oomguard's own log does not use SLF4J's binding.
            System.setProperty(SLF4J_PROVIDER, "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN"); // else SLF4J says so on stderr
        }
        try {
            NativeStart.boot(); // OSHI loads JNA: where from is decided first, as for oomguard's own calls
            SystemInfo system = new SystemInfo();
            HardwareAbstractionLayer hardware = system.getHardware();
            ComputerSystem box = hardware.getComputerSystem();
            Optional<String> machine = attempt(() -> String.join(" ", java.util.stream.Stream.of(box.getManufacturer(),
                    box.getModel()).filter(HostFacts::known).map(String::trim).toList()));
            CentralProcessor cpu = hardware.getProcessor();
            Optional<String> cpuModel = attempt(() -> cpu.getProcessorIdentifier().getName().trim());
            OptionalInt cpus = attempt(cpu::getLogicalProcessorCount).map(OptionalInt::of).orElse(OptionalInt.empty());
            OptionalLong memory = attempt(() -> hardware.getMemory().getTotal()).map(OptionalLong::of)
                    .orElse(OptionalLong.empty());
            OperatingSystem os = system.getOperatingSystem();
            Optional<String> osName = attempt(() -> (os.getFamily() + " " + os.getVersionInfo().getVersion()
                    + (os.getVersionInfo().getCodeName() == null || os.getVersionInfo().getCodeName().isBlank() ? ""
                            : " (" + os.getVersionInfo().getCodeName() + ")")).trim());
            Optional<String> kernel = attempt(() -> os.getVersionInfo().getBuildNumber());
            return new HostFacts(machine, cpuModel, cpus, memory, osName, kernel);
        } catch (RuntimeException | LinkageError e) {
            return unknown();
        }
    }

    /** Nothing known. */
    public static HostFacts unknown() {
        return new HostFacts(Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
                Optional.empty(), Optional.empty());
    }

    private static <T> Optional<T> attempt(Callable<T> read) {
        try {
            return Optional.ofNullable(read.call());
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Prints this machine's facts and how long OSHI took: {@code java -cp oomguard.jar dev.oomguard.report.HostProbe}. */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        HostFacts facts = read();
        long t1 = System.nanoTime();
        System.out.println(facts.describe());
        System.out.println(facts);
        System.out.printf("%.0f ms%n", (t1 - t0) / 1e6);
    }
}
