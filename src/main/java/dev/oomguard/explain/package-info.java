/**
 * Why a process died: kernel OOM reports matched to the job's processes and cgroups, the verdict
 * with its confidence and evidence, the advice (what limit to ask for), and the JSON form. Works
 * on parsed kernel reports and counters handed to it; it sends no signal and writes no file.
 */
package dev.oomguard.explain;
