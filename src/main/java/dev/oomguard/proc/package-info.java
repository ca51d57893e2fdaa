/**
 * The operating system, read and called: {@code /proc} and cgroup files parsed into values
 * (through {@link dev.oomguard.proc.ProcFs}, so fixture trees stand in for the live system),
 * cgroup mounts and groups, and every native call (JNA bindings, eventfd, poll, pidfd, flock,
 * signals). The only package that touches JNA; it holds no policy and imports only units.
 */
package dev.oomguard.proc;
