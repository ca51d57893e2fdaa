package dev.oomguard.sample;

import java.util.Optional;

/**
 * What one tick saw of time lost waiting on memory: the cumulative PSI stall counters of the
 * job's own cgroup (v2) or, failing that, of the whole host, and the major page faults of the
 * job's tree so far. Counters, not rates: the guard takes differences over its window.
 *
 * @param psi              empty when the kernel has no PSI (before 4.20, or booted with psi=0)
 * @param treeMajorFaults  major faults of the tree's processes, summed from when oomguard first saw each
 */
public record StallReading(Optional<Psi> psi, long treeMajorFaults) {
    public StallReading {
        if (psi == null || treeMajorFaults < 0) {
            throw new IllegalArgumentException("incomplete stall reading");
        }
    }

    /** Where a pressure reading comes from. */
    public enum Scope {
        /** The job's own cgroup v2 group: its {@code memory.pressure} counts only its tasks. */
        JOB_CGROUP,
        /** {@code /proc/pressure/memory}: every task on the machine, not only the job's. */
        HOST
    }

    /**
     * Cumulative stall times in µs: {@code some} while at least one task waited on memory,
     * {@code full} while all non-idle tasks did (no progress at all).
     *
     * @param where the cgroup path for {@link Scope#JOB_CGROUP}, {@code /proc/pressure/memory} for the host
     */
    public record Psi(Scope scope, String where, long someTotalMicros, long fullTotalMicros) {
        public Psi {
            if (scope == null || where == null || someTotalMicros < 0 || fullTotalMicros < 0) {
                throw new IllegalArgumentException("invalid pressure reading");
            }
        }

        /**
         * The counter that stands for the job's stall: in the job's group, {@code full} (all its tasks
         * waited: time lost outright, exact). On the host only a machine-wide figure exists, and
         * {@code some} is taken: host-wide {@code full} needs every busy task on the machine to wait
         * at once and stays near zero on a busy machine however hard the job thrashes. Neither is a
         * bound on the job's own stall: the kernel averages the CPUs weighted by how busy each was,
         * so one thrashing task among busy CPUs shows less (measured: the job's group 47%, host
         * some 30%, host full 6%), and other tasks' stalls show too.
         */
        public long jobStallMicros() {
            return scope == Scope.HOST ? someTotalMicros : fullTotalMicros;
        }

        /** {@code PSI full of the job's cgroup v2 /jobs/a} or {@code host-wide PSI some}: what {@link #jobStallMicros()} reads. */
        public String describe() {
            return scope == Scope.HOST ? "host-wide PSI some" : "PSI full of the job's cgroup v2 " + where;
        }

        /** Whether two readings count the same tasks, so their difference means something. */
        public boolean sameSource(Psi other) {
            return other != null && scope == other.scope && where.equals(other.where);
        }
    }
}
