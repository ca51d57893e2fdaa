package dev.oomguard.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunnableBlockTest {
    @Test
    void findsMarkedShellBlocksWithTheirLineAndExpectedStatus() {
        String md = String.join("\n",
                "# Title",
                "```sh",
                "not run",
                "```",
                "```sh runnable",
                "oomguard --version",
                "```",
                "text",
                "```sh runnable exit=125",
                "oomguard --warn 80 -- true",
                "echo second",
                "```",
                "");
        List<RunnableBlock> blocks = RunnableBlock.parse("page.md", md);
        assertThat(blocks).containsExactly(
                new RunnableBlock("page.md", 5, "oomguard --version\n", 0),
                new RunnableBlock("page.md", 9, "oomguard --warn 80 -- true\necho second\n", 125));
    }

    @Test
    void aFenceIndentedInAListItemLosesItsIndentation() {
        String md = String.join("\n",
                "- item",
                "",
                "  ```sh runnable exit=3",
                "  sh -c 'exit 3'",
                "  ```",
                "");
        assertThat(RunnableBlock.parse("page.md", md)).containsExactly(new RunnableBlock("page.md", 3, "sh -c 'exit 3'\n", 3));
    }

    @Test
    void aBlockQuotedInsideALongerFenceIsText() {
        String md = String.join("\n",
                "````markdown",
                "```sh runnable",
                "rm -rf /nothing-to-see",
                "```",
                "````",
                "");
        assertThat(RunnableBlock.parse("page.md", md)).isEmpty();
    }

    @Test
    void aMisspeltMarkerIsRefusedRatherThanSkipped() {
        assertThatThrownBy(() -> RunnableBlock.parse("page.md", "```sh runnable exit=oops\ntrue\n```\n"))
                .hasMessageContaining("page.md:1").hasMessageContaining("sh runnable exit=N");
        assertThatThrownBy(() -> RunnableBlock.parse("page.md", "```sh runnable\ntrue\n"))
                .hasMessageContaining("never closed");
    }
}
