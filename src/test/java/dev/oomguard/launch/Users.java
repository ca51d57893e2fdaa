package dev.oomguard.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Running the suite as an unprivileged user, as the seed's user was. */
final class Users {
    private Users() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code setpriv} as nobody (65534), with its own HOME, keeping nothing of root's groups. */
    static String[] asNobody(Path home) {
        return new String[] {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
            "env", "HOME=" + home};
    }

    /** Whether nobody can read the launcher and the jar (a checkout under a private home cannot). */
    static boolean nobodyCanRun(Path launcher) {
        String jar = System.getProperty("oomguard.jar", "target/oomguard.jar");
        try {
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                    "sh", "-c", "test -x \"$0\" && test -r \"$1\"", launcher.toString(), jar).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
