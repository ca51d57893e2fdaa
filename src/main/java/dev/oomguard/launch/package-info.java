/**
 * The transparent prefix: spawning the job with the caller's terminal, environment and file
 * descriptors, relaying signals, reaping it and its orphans, re-raising its signal, the run lock,
 * Slurm step and terminal context. It passes the job's exit status through and decides nothing
 * about memory; its system calls go through the proc package.
 */
package dev.oomguard.launch;
