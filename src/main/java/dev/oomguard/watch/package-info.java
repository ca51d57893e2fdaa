/**
 * A guarded job's session, start to end: {@link dev.oomguard.watch.Session} wires the parts on a
 * {@link dev.oomguard.watch.Host} (the proc root, kernel events, the kernel log), so a session
 * runs on a fake host in a test; {@link dev.oomguard.watch.GuardedRun} ({@code oomguard run}) and
 * {@link dev.oomguard.watch.WatchedRun} ({@code oomguard watch}) build it. Owns the tick loop
 * ({@link dev.oomguard.watch.Watcher}: sample, decide, tell the listeners), the
 * {@link dev.oomguard.watch.Responder} that carries the ladder's decisions out (checkpoint, pause,
 * stop, hooks), and the exit status ({@link dev.oomguard.watch.ExitStatus}, a pure table).
 *
 * <p>The only package below {@code cli} that sees all the others. Decides nothing about memory
 * itself ({@code guard} does), reads no file directly ({@code sample} and {@code proc} do) and
 * formats no output ({@code report} does). Nothing but {@code cli} may import it.
 */
package dev.oomguard.watch;
