package dev.oomguard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README stays a short user guide, and the pages it sends readers to are there and say what the code does. */
class DocsPagesTest {
    private static final Pattern FENCE = Pattern.compile("^ *(`{3,}|~{3,}).*");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void theReadmeIsAUserGuideOfAtMost300Lines() {
        long lines = DocsPages.read(Path.of("README.md")).lines().count();
        assertThat(lines).isLessThanOrEqualTo(300);
    }

    @Test
    void everyRelativeLinkOfTheDocsPointsToAFileAndAHeadingThatExist() {
        List<String> broken = new ArrayList<>();
        for (Path page : DocsPages.pages()) {
            Matcher m = LINK.matcher(withoutCode(DocsPages.read(page)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(page + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theSlurmScriptOfTheDocsIsTheExampleThatSlurmItRuns() throws Exception {
        String page = DocsPages.read(Path.of("docs/where-jobs-live.md"));
        List<String> commands = Files.readAllLines(Path.of("examples/slurm/oomguard.sbatch")).stream()
                .filter(line -> !line.startsWith("# ") && !line.equals("#")).collect(Collectors.toList());
        assertThat(commands).contains("oomguard -- \"$@\" &");
        assertThat(page).contains(String.join("\n", commands));
    }

    @Test
    void theExamplesSeedLogIsTheFixture() throws Exception {
        assertThat(Files.readAllBytes(Path.of("examples/seed-kernel.log"))).isEqualTo(
                Files.readAllBytes(Path.of("src/test/resources/fixtures/kernel-logs/seed-000_c4b2ae9856aa1dc6.txt")));
    }

    @Test
    void theRecordSizesThatTestsKeepTrueAreTheOnesTheDocsState() {
        // RecordSizeTest (under 1,200 bytes a line, under 20 MB for 3 days) and DownsamplingTest (18,360).
        assertThat(DocsPages.read(Path.of("docs/records.md")))
                .contains("about 1,074 bytes").contains("keeps 18,360 samples, about 19.7 MB");
    }

    @Test
    void everyRunnableMarkerIsWellFormed() {
        int count = 0;
        for (Path page : DocsPages.pages()) {
            count += RunnableBlock.parse(page.toString(), DocsPages.read(page)).size();
        }
        assertThat(count).isPositive();
    }

    /** GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, blanks to '-'. */
    static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        for (String line : withoutCode(DocsPages.read(page)).split("\n")) {
            if (line.matches("^#{1,6} .*")) {
                String title = line.replaceFirst("^#{1,6} ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The text outside fenced code blocks (a '#' line in a script is no heading, a ']( ' in code no link). */
    private static String withoutCode(String markdown) {
        StringBuilder out = new StringBuilder();
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher m = FENCE.matcher(line);
            if (fence == null && m.matches()) {
                fence = m.group(1);
            } else if (fence != null && closes(line.strip(), fence)) {
                fence = null;
            } else if (fence == null) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static boolean closes(String line, String fence) {
        return line.length() >= fence.length() && line.chars().allMatch(c -> c == fence.charAt(0));
    }
}
