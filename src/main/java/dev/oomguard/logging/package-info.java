/**
 * oomguard's own diagnostics through SLF4J and logback: the {@code -v} lines on stderr, the
 * {@code --log FILE} lines and a site's own logback configuration (to send them to syslog, say).
 * Logback is initialised only by a run that logs something; a run that logs nothing never loads
 * it. Owns the logger {@value Diagnostics#LOGGER}; must not touch the job's stdout, and writes the
 * {@code --log} file only through {@link dev.oomguard.report.RunLog} (its safe open, one
 * {@code write(2)} per message).
 */
package dev.oomguard.logging;
