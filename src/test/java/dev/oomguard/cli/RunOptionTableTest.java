package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The checked-in RunOptionTable.java is the one picocli's model makes now. */
class RunOptionTableTest {
    @Test
    void theCheckedInTableIsUpToDateWithTheCommandDefinitions() throws Exception {
        assertThat(Files.readString(RunOptionTableSource.FILE))
                .as(RunOptionTableSource.FILE + " is out of date with the command definitions; regenerate it with: "
                        + RunOptionTableSource.REGENERATE)
                .isEqualTo(RunOptionTableSource.source());
    }

    @Test
    void theTableKnowsEveryNameOfEveryOptionOfEveryConfigurableSubcommand() {
        RunOptionTable table = new RunOptionTable();
        assertThat(RunOptionTable.CONFIGURABLE).isEqualTo(Commands.configurable());
        for (String command : Commands.configurable()) {
            for (var option : Commands.spec(command).options()) {
                for (String name : option.names()) {
                    assertThat(table.option(command, name)).as(command + " " + name)
                            .contains(ConfigDefaults.facts(option));
                }
            }
        }
        assertThat(table.option("run", "--pid")).isEmpty();
        assertThat(table.anyOption("--pid")).isPresent();
    }

    @Test
    void everySettingOfRunIsSetIntoItsOwnFieldWithItsDefault() {
        RunCommand run = RunOptionTable.newRun(null, new Ending());
        RunOptionTable.set(run, "--warn", "70%");
        RunOptionTable.set(run, "--quiet", "TRUE");
        RunOptionTable.set(run, "--lock", "/tmp/l");
        assertThat(run.guard.levels.warn.toString()).isEqualTo("70%");
        assertThat(run.guard.console.quiet).isTrue();
        assertThat(run.lock).hasToString("/tmp/l");
        assertThat(RunOptionTable.RUN_DEFAULTS).containsEntry("--warn", "80%").containsEntry("--grace", "10s")
                .doesNotContainKey("--limit");
        assertThat(RunOptionTable.RUN_SETTINGS).contains("--memory-max", "--quiet").doesNotContain("--help", "-h");
    }
}
