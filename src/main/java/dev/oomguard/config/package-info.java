/**
 * Configuration files ({@code ~/.config/oomguard/config}, {@code /etc/oomguard.conf}): where they
 * are, and their {@code name = value} lines with {@code [run]}/{@code [watch]} sections, parsed
 * into words with the file and line each came from. Knows nothing of the options' meaning (the
 * command line does) and imports no other oomguard package.
 */
package dev.oomguard.config;
