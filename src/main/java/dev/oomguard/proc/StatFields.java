package dev.oomguard.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kinship fields of {@code /proc/PID/stat}: who a process is, its parent, group and
 * state, and its start time (to tell a reused PID from the process we knew).
 */
public record StatFields(int pid, String comm, char state, int ppid, int pgrp, int session,
        long startTicks) {

    /**
     * Parses one stat line. The comm is everything between the first '(' and the LAST ')',
     * so hostile names like {@code "foo) Z 1"} cannot shift the fields.
     *
     * @throws IllegalArgumentException naming the line when it is not a stat line
     */
    public static StatFields parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
        }
        String[] rest = line.substring(close + 2).trim().split(" ");
        if (rest.length < 20) {
            throw new IllegalArgumentException("short /proc/PID/stat line: " + line);
        }
        try {
            return new StatFields(Integer.parseInt(line.substring(0, open).trim()),
                    line.substring(open + 1, close), rest[0].charAt(0), Integer.parseInt(rest[1]),
                    Integer.parseInt(rest[2]), Integer.parseInt(rest[3]), Long.parseLong(rest[19]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in /proc/PID/stat line: " + line, e);
        }
    }

    /** Reads one process; empty when it has gone (a normal case). */
    public static Optional<StatFields> read(Path procRoot, int pid) {
        try {
            byte[] bytes = Files.readAllBytes(procRoot.resolve(Integer.toString(pid)).resolve("stat"));
            return Optional.of(parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every process visible under {@code procRoot}; those that vanish mid-scan are skipped. */
    public static List<StatFields> scan(Path procRoot) {
        List<StatFields> all = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(procRoot)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0)) && name.chars().allMatch(Character::isDigit)) {
                    read(procRoot, Integer.parseInt(name)).ifPresent(all::add);
                }
            }
        } catch (IOException e) {
            // An unreadable /proc leaves nothing to reap; the job's own status is unaffected.
        }
        return all;
    }

    /**
     * The children of {@code pid}, from {@code /proc/PID/task/TID/children} (one read per thread
     * instead of a scan of every process); empty when the process has gone. Falls back to a
     * full scan where the kernel lacks CONFIG_PROC_CHILDREN.
     */
    public static List<StatFields> children(Path procRoot, int pid) {
        Path tasks = procRoot.resolve(Integer.toString(pid)).resolve("task");
        List<StatFields> out = new ArrayList<>();
        boolean anyChildrenFile = false;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                Path file = task.resolve("children");
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    continue; // the thread ended, or no such file
                }
                anyChildrenFile = true;
                for (String word : text.trim().split("\\s+")) {
                    if (!word.isEmpty()) {
                        read(procRoot, Integer.parseInt(word)).ifPresent(out::add);
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        if (!anyChildrenFile) {
            for (StatFields p : scan(procRoot)) {
                if (p.ppid() == pid) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    public boolean zombie() {
        return state == 'Z';
    }
}
