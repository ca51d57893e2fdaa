package dev.oomguard.explain;

import dev.oomguard.kernellog.OomReport;
import java.util.List;
import java.util.Optional;

/**
 * An answer to "why did it die": the verdict, how sure, the story in sentences, advice with
 * numbers, and the log lines it rests on.
 *
 * @param pid      the process the explanation is about (the victim), or null
 * @param comm     its name, or null
 * @param when     when it happened, in words (says how the time was obtained), or null
 * @param summary  one sentence
 * @param details  further sentences: memory state, the job's processes, the invoker
 * @param advice   what to change, with numbers
 * @param evidence log lines quoted as logged, or the counters that stood in for them
 * @param missing  what the evidence lacked (truncated report, unreadable log)
 * @param report   the kernel report it rests on, if any
 * @param job      the job's rows in that report's task table, if any
 */
public record Explanation(Verdict verdict, Confidence confidence, Integer pid, String comm, String when,
        String summary, List<String> details, List<String> advice, List<String> evidence, List<String> missing,
        OomReport report, JobProcesses job) {
    public Explanation {
        if (verdict == null || confidence == null || summary == null) {
            throw new IllegalArgumentException("explanation needs a verdict, a confidence and a summary");
        }
        details = List.copyOf(details);
        advice = List.copyOf(advice);
        evidence = List.copyOf(evidence);
        missing = List.copyOf(missing);
    }

    public Optional<OomReport> kernelReport() {
        return Optional.ofNullable(report);
    }

    /** The explanation as text for a terminal: summary, details, advice, evidence. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(summary).append('\n');
        for (String d : details) {
            sb.append(d).append('\n');
        }
        if (!advice.isEmpty()) {
            sb.append("Advice:\n");
            for (String a : advice) {
                sb.append("  - ").append(a).append('\n');
            }
        }
        if (!evidence.isEmpty()) {
            sb.append("Evidence:\n");
            for (String e : evidence) {
                sb.append("  | ").append(e).append('\n');
            }
        }
        if (!missing.isEmpty()) {
            sb.append("Missing: ").append(String.join("; ", missing)).append('\n');
        }
        sb.append("Verdict: ").append(verdict.jsonName()).append(", confidence ").append(confidence.jsonName()).append('\n');
        return sb.toString();
    }
}
