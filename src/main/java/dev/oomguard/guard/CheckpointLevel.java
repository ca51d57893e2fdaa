package dev.oomguard.guard;

/**
 * The use of the binding limit at which the next checkpoint is asked for, known before the job
 * gets there: its crossing needs no decision (see {@link Ladder#checkpointLevel}), so the request
 * can be prepared ahead and sent by the kernel's wake-up alone. {@code reason} is what the flag
 * file will say.
 */
public record CheckpointLevel(long usedBytes, String reason) {
}
