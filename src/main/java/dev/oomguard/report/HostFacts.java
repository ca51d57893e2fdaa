package dev.oomguard.report;

import dev.oomguard.units.ByteSize;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the run record and the HTML report say about the machine (read by {@link HostProbe}):
 * each fact is absent when it could not be read (a container hides the DMI tables, say).
 *
 * @param machine     the maker and model ({@code QEMU Standard PC (Q35 + ICH9, 2009)})
 * @param cpuModel    the processor's name
 * @param cpus        logical processors
 * @param memoryBytes physical memory
 * @param os          the distribution and its version ({@code Ubuntu 24.04.1 LTS (Noble Numbat)})
 * @param kernel      the kernel release
 */
public record HostFacts(Optional<String> machine, Optional<String> cpuModel, OptionalInt cpus,
        OptionalLong memoryBytes, Optional<String> os, Optional<String> kernel) {
    public HostFacts {
        machine = machine.filter(HostFacts::known);
        cpuModel = cpuModel.filter(HostFacts::known);
        os = os.filter(HostFacts::known);
        kernel = kernel.filter(HostFacts::known);
        if (cpus.isPresent() && cpus.getAsInt() <= 0) {
            cpus = OptionalInt.empty();
        }
        if (memoryBytes.isPresent() && memoryBytes.getAsLong() <= 0) {
            memoryBytes = OptionalLong.empty();
        }
    }

    /** One line for people: {@code QEMU Standard PC · AMD EPYC 7B13 × 2 · 7.8 GiB · Ubuntu 24.04 · 6.8.0-49}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        machine.ifPresent(m -> part(b, m));
        cpuModel.ifPresent(c -> part(b, c + (cpus.isPresent() ? " × " + cpus.getAsInt() : "")));
        if (cpuModel.isEmpty() && cpus.isPresent()) {
            part(b, cpus.getAsInt() + " CPUs");
        }
        memoryBytes.ifPresent(m -> part(b, ByteSize.ofBytes(m).human()));
        os.ifPresent(o -> part(b, o));
        kernel.ifPresent(k -> part(b, "kernel " + k));
        return b.length() == 0 ? "unknown" : b.toString();
    }

    private static void part(StringBuilder b, String s) {
        if (b.length() > 0) {
            b.append(" · ");
        }
        b.append(s);
    }

    /** OSHI says "unknown" (or nothing) for what it could not read. */
    static boolean known(String s) {
        String t = s == null ? "" : s.trim();
        return !t.isEmpty() && !t.equalsIgnoreCase("unknown") && !t.equalsIgnoreCase("default string");
    }
}
