/**
 * The kernel log: reading it ({@code /dev/kmsg}, {@code journalctl -k}, {@code dmesg}, a file),
 * decoding its lines, and parsing OOM reports (header, memcg block, meminfo, task table, the
 * killed process) and user-space killers' lines into values. Reading stays apart from parsing,
 * so every parser runs on fixtures. It interprets nothing: explanations are the explain package's.
 */
package dev.oomguard.kernellog;
