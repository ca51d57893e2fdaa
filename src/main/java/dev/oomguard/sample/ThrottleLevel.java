package dev.oomguard.sample;

import dev.oomguard.units.ByteSize;

/** A cgroup v2 {@code memory.high}: above it the kernel throttles and reclaims, it never kills. */
public record ThrottleLevel(String cgroup, ByteSize high, ByteSize usage) {
    public boolean exceeded() {
        return usage.compareTo(high) > 0;
    }
}
