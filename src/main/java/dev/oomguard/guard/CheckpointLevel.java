package dev.oomguard.guard;

/**
 * The use of the binding limit at which the next checkpoint is asked for, known before the job
 * gets there: its crossing needs no decision (see {@link Ladder#checkpointLevel}), so the request
 * can be prepared ahead and sent by the kernel's wake-up alone. {@link #reason} is what the flag
 * file will say, once it is known how the crossing will be seen.
 *
 * @param setting the checkpoint setting, e.g. {@code --checkpoint 99%}
 * @param on      the limit and its figures at the level
 */
public record CheckpointLevel(long usedBytes, String setting, String on) {
    /** The reason of a crossing of the level seen {@code seen}; the same words {@link Ladder#decideCrossing} uses. */
    public String reason(Seen seen) {
        return crossed(setting, seen, on);
    }

    /** The same level, in another file's bytes. */
    public CheckpointLevel at(long bytes) {
        return new CheckpointLevel(bytes, setting, on);
    }

    static String crossed(String setting, Seen seen, String on) {
        return setting + " crossed while growing (" + seen.words() + ") on " + on;
    }
}
