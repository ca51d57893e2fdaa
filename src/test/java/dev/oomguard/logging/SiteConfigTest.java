package dev.oomguard.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteConfigTest {
    @Test
    void logbacksOwnPropertyWinsAndMayBeAFileUrl() {
        assertThat(SiteConfig.find(Map.of(SiteConfig.PROPERTY, "/srv/log.xml")::get, p -> true))
                .contains(Path.of("/srv/log.xml"));
        assertThat(SiteConfig.find(Map.of(SiteConfig.PROPERTY, "file:/srv/log.xml")::get, p -> false))
                .contains(Path.of("/srv/log.xml"));
    }

    @Test
    void elseTheFileUnderEtcWhenItExists() {
        assertThat(SiteConfig.find(Map.<String, String>of()::get, p -> p.equals(Path.of(SiteConfig.ETC))))
                .contains(Path.of("/etc/oomguard/logback.xml"));
        assertThat(SiteConfig.find(Map.<String, String>of()::get, p -> false)).isEqualTo(Optional.empty());
    }
}
