package dev.oomguard.launch;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job's argument vector as the caller's bytes. The JVM decodes arguments with the locale's
 * charset (ASCII under {@code LANG=C}, as in cron), which would turn {@code é} into {@code ?};
 * the raw bytes come from {@code /proc/self/cmdline}, whose tail is the program's arguments.
 */
public final class CommandBytes {
    private CommandBytes() {
    }

    /**
     * @param command the command and its arguments as the JVM decoded them (the tail of main's args)
     * @param cmdline {@code /proc/self/cmdline} split at NULs, when readable
     */
    public static List<byte[]> of(List<String> command, Optional<List<byte[]>> cmdline, Charset jvmCharset) {
        List<byte[]> out = new ArrayList<>(command.size());
        if (cmdline.isPresent() && cmdline.get().size() >= command.size()) {
            List<byte[]> tail = cmdline.get().subList(cmdline.get().size() - command.size(), cmdline.get().size());
            boolean matches = true;
            for (int i = 0; i < command.size() && matches; i++) {
                matches = new String(tail.get(i), jvmCharset).equals(command.get(i));
            }
            if (matches) {
                out.addAll(tail);
                return out;
            }
        }
        for (String arg : command) {
            out.add(arg.getBytes(jvmCharset.canEncode() ? jvmCharset : StandardCharsets.UTF_8));
        }
        return out;
    }
}
