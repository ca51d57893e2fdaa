/**
 * Safe output files for a process that may run as root in directories others can write: opening
 * without following links, refusing FIFOs and devices, replacing files atomically, private
 * temporary directories. Every path oomguard writes goes through here; nothing here knows what is
 * written.
 */
package dev.oomguard.files;
