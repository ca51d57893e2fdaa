package dev.oomguard.cli;

import java.time.Duration;
import picocli.CommandLine;

/** Picocli converter for {@code 10s}-style durations; bad text becomes a one-line usage error. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Converters.duration(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
