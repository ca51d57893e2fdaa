package dev.oomguard.launch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The last fallback when oomguard's native access (JNA) cannot be loaded, so the job can be
 * neither spawned transparently nor guarded: the job is run through the JVM's own process API,
 * with the same input, output and arguments, and its status passed through (128+N when it died of
 * signal N). A job is never lost because oomguard cannot watch it.
 */
public final class Unguarded {
    private Unguarded() {
    }

    /**
     * @return the job's status, or 127/126 when it cannot be started (as a shell says)
     */
    public static int run(List<String> command, java.util.function.Consumer<String> say) {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.remove("_JAVA_SR_SIGNUM");
        env.keySet().removeIf(k -> k.startsWith("__OOMGUARD_"));
        try {
            Process p = pb.start();
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return p.waitFor();
                    } catch (InterruptedException e) {
                        interrupted = true; // the job's status is what counts: wait on
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            say.accept(command.get(0) + ": " + m);
            return m.contains("error=2,") ? 127 : 126;
        }
    }
}
