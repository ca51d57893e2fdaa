/**
 * One tick of measurement: the job's process tree (membership by parent chain, memory per
 * process), every limit that can end the job with its headroom, and the one that binds. Reads
 * through {@link dev.oomguard.proc.ProcFs}, so tests run on fixture trees. Entry point:
 * {@link dev.oomguard.sample.Sampler}.
 */
package dev.oomguard.sample;
