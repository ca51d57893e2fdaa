/**
 * The start-up and exit phase trace ({@code -Doomguard.trace=phases}): one mark a phase, a
 * constant test when off. Imports nothing else of oomguard, so any package may mark a phase.
 */
package dev.oomguard.trace;
