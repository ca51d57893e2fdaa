/**
 * What a run leaves behind: the JSONL record and its reader, the summary (text and JSON), the
 * Prometheus textfile, the HTML report with its charts, and the {@code --log} lines. It formats
 * values it is given and writes through the files package; it takes no decision and signals
 * nothing.
 */
package dev.oomguard.report;
