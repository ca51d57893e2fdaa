/**
 * Values with units: byte sizes and durations, parsed from and printed for people. Imports
 * nothing else of oomguard.
 */
package dev.oomguard.units;
