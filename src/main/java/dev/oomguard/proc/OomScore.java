package dev.oomguard.proc;

import java.util.OptionalInt;

/** {@code /proc/PID/oom_score}: the badness the kernel's OOM killer would give the process now. */
public final class OomScore {
    private OomScore() {
    }

    /** Empty when the process is gone. */
    public static OptionalInt read(ProcFs fs, int pid) {
        return fs.readProcess(pid, "oom_score")
                .map(text -> OptionalInt.of(parse(text, fs.name("/proc/" + pid + "/oom_score"))))
                .orElse(OptionalInt.empty());
    }

    public static int parse(String text, String source) {
        String t = text.strip();
        try {
            int score = Integer.parseInt(t);
            if (score < 0) {
                throw new Malformed(source, t, "negative oom_score");
            }
            return score;
        } catch (NumberFormatException e) {
            throw new Malformed(source, t, "expected a number");
        }
    }
}
