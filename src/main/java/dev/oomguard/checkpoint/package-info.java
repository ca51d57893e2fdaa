/**
 * Asking the job to checkpoint, and following the request to its answer. Owns the protocol's
 * bookkeeping ({@link dev.oomguard.checkpoint.Checkpoints}: open until the job removes the flag
 * file, writes {@code FILE.done} or its hook exits 0, or the timeout passes), the flag file, the
 * reflex (a real-time thread that puts the file in place and signals on the kernel's wake-up
 * alone) and "flag file, then signal", written once in
 * {@link dev.oomguard.checkpoint.CheckpointRequest} for the responder and the reflex alike.
 *
 * <p>Signals go through {@link dev.oomguard.launch.JobSignals} only. Decides nothing (whether to
 * ask is {@code guard}'s ladder's) and says nothing on the terminal (the responder in
 * {@code watch} does). Must not import {@code watch}, {@code trigger} or {@code cli}.
 */
package dev.oomguard.checkpoint;
