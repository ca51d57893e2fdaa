/**
 * The command line: picocli commands ({@code run}, {@code watch}, {@code explain}, {@code report},
 * {@code config}), option parsing and conversion, configuration-file defaults, help, the man page
 * and the generated option reference, and the mapping of failures to exit statuses. It turns
 * what the user typed into settings and hands them to a session; it decides nothing about memory
 * and reads nothing of the system itself.
 */
package dev.oomguard.cli;
