package dev.oomguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules of issue 14 that the code can check of itself: no main class over 400 lines
 * (split it along a seam), and packages that depend on each other one way only (a cycle between
 * packages is named with the files that make each step of it).
 */
class HouseRulesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final int MAX_LINES = 400;
    /** {@code import dev.oomguard.x.Y;}, {@code import static dev.oomguard.x.Y.z;}: group 1 is the package. */
    private static final Pattern IMPORT = Pattern.compile(
            "^import\\s+(?:static\\s+)?(dev\\.oomguard(?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]", Pattern.MULTILINE);
    /** A fully qualified name in code ({@code dev.oomguard.units.ByteSize.ofBytes(0)}) is a dependency too. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.])(dev\\.oomguard(?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void noMainClassIsOver400Lines() {
        Map<String, Long> tooLong = new TreeMap<>();
        for (Path file : sources()) {
            long lines = read(file).lines().count();
            if (lines > MAX_LINES) {
                tooLong.put(SOURCES.relativize(file).toString(), lines);
            }
        }
        assertThat(tooLong).as("main classes over %d lines (split along a seam: one reason to change per class)",
                MAX_LINES).isEmpty();
    }

    @Test
    void packagesDependOnEachOtherOneWay() {
        assertThat(cycles(packageImports())).as("import cycles between packages").isEmpty();
    }

    @Test
    void aCycleIsNamedWithTheFilesThatMakeIt() {
        Map<String, Map<String, Set<String>>> imports = new TreeMap<>();
        imports.put("a", Map.of("b", Set.of("a/One.java")));
        imports.put("b", Map.of("c", Set.of("b/Two.java")));
        imports.put("c", Map.of("a", Set.of("c/Three.java"), "d", Set.of("c/Four.java")));
        imports.put("d", Map.of());
        assertThat(cycles(imports)).containsExactly(
                "a -> b (a/One.java) -> c (b/Two.java) -> a (c/Three.java)");
        imports.put("c", Map.of("d", Set.of("c/Four.java")));
        assertThat(cycles(imports)).isEmpty();
    }

    /** Package to the packages its files name, each with the files that name it. */
    private static Map<String, Map<String, Set<String>>> packageImports() {
        Map<String, Map<String, Set<String>>> imports = new TreeMap<>();
        for (Path file : sources()) {
            String text = read(file);
            Matcher own = PACKAGE.matcher(text);
            if (!own.find()) {
                continue;
            }
            String from = own.group(1);
            Map<String, Set<String>> targets = imports.computeIfAbsent(from, p -> new TreeMap<>());
            String name = SOURCES.relativize(file).toString();
            List<Matcher> named = List.of(IMPORT.matcher(text), QUALIFIED.matcher(COMMENT.matcher(text).replaceAll(" ")));
            for (Matcher m : named) {
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        targets.computeIfAbsent(m.group(1), t -> new TreeSet<>()).add(name);
                    }
                }
            }
        }
        return imports;
    }

    /**
     * A shortest cycle through each package on one, except packages named in a cycle already, as
     * {@code a -> b (the files in a that name b) -> ... -> a (...)}.
     */
    static List<String> cycles(Map<String, Map<String, Set<String>>> imports) {
        List<String> found = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        for (String start : new TreeSet<>(imports.keySet())) {
            if (covered.contains(start)) {
                continue;
            }
            List<String> path = shortestPathBack(start, imports);
            if (path.isEmpty()) {
                continue;
            }
            covered.addAll(path);
            StringBuilder b = new StringBuilder(start);
            for (int i = 1; i < path.size(); i++) {
                String from = path.get(i - 1);
                String to = path.get(i);
                b.append(" -> ").append(to).append(" (")
                        .append(String.join(", ", imports.get(from).get(to))).append(')');
            }
            found.add(b.toString());
        }
        return found;
    }

    /** {@code start, ..., start} by the fewest imports, or empty when no import leads back. */
    private static List<String> shortestPathBack(String start, Map<String, Map<String, Set<String>>> imports) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.removeFirst();
            for (String next : new TreeSet<>(imports.getOrDefault(at, Map.of()).keySet())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = at; !p.equals(start); p = cameFrom.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.addLast(next);
                }
            }
        }
        return List.of();
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
