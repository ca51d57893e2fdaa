/**
 * Pure decisions on samples: thresholds, growth rate, the action ladder, partial kills and the
 * run summary. Nothing here reads a file, sends a signal or sleeps. The supervisor's tick:
 *
 * <pre>{@code
 * Sampler sampler = new Sampler(ProcFs.system(), TreeSpec.of(jobPid).adoptedBy(ownPid),
 *         LimitSources.standard().withUserLimit(ByteSize.parse("10G")));   // or standard()
 * Ladder ladder = new Ladder(GuardSettings.defaults());
 * RunSummary summary = new RunSummary();
 * while (jobAlive) {
 *     Sample s = sampler.sample();
 *     for (PartialKill k : summary.accept(s)) { log(k.describe()); }
 *     List<Action> actions = ladder.decide(s, System.nanoTime());
 *     summary.recordActions(actions);
 *     for (Action a : actions) { deliver(a); }  // or, in a dry run, print a.describe()
 *     sleep(period);
 * }
 * }</pre>
 */
package dev.oomguard.guard;
