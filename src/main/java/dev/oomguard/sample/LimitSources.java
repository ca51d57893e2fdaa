package dev.oomguard.sample;

import dev.oomguard.units.ByteSize;
import java.util.Optional;

/** Which limits the sampler evaluates: the host and the job's cgroups always, the user's cap if given. */
public record LimitSources(Optional<ByteSize> userLimit, PssPolicy pss, int outsideCandidates) {
    public LimitSources {
        if (outsideCandidates < 0) {
            throw new IllegalArgumentException("outsideCandidates < 0");
        }
    }

    public static LimitSources standard() {
        return new LimitSources(Optional.empty(), PssPolicy.standard(), 3);
    }

    public LimitSources withUserLimit(ByteSize cap) {
        return new LimitSources(Optional.of(cap), pss, outsideCandidates);
    }

    /** The same, naming {@code n} of the processes outside the tree as the host's candidates. */
    public LimitSources withOutsideCandidates(int n) {
        return new LimitSources(userLimit, pss, n);
    }

    public LimitSources withPss(PssPolicy policy) {
        return new LimitSources(userLimit, policy, outsideCandidates);
    }
}
