package dev.oomguard.cli;

import dev.oomguard.guard.Threshold;
import dev.oomguard.proc.Signal;
import dev.oomguard.units.ByteSize;
import dev.oomguard.units.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Picocli converters for oomguard's value types: bad text becomes a one-line usage error (exit 125).
 * Each converts with one of the static methods here (bad text: an {@link IllegalArgumentException}),
 * which {@link RunOptionTable} calls too without loading picocli.
 */
final class Converters {
    private Converters() {
    }

    static ByteSize size(String value) {
        ByteSize size = ByteSize.parse(value);
        if (size.bytes() == 0) {
            throw new IllegalArgumentException("a size of 0: '" + value + "' (expected e.g. 4G)");
        }
        return size;
    }

    static Threshold level(String value) {
        return Threshold.parse(value);
    }

    static Signal signal(String value) {
        return Signal.parse(value);
    }

    static Duration duration(String value) {
        return Durations.parse(value);
    }

    static final class Size implements CommandLine.ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            try {
                return size(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Level implements CommandLine.ITypeConverter<Threshold> {
        @Override
        public Threshold convert(String value) {
            try {
                return level(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SignalName implements CommandLine.ITypeConverter<Signal> {
        @Override
        public Signal convert(String value) {
            try {
                return signal(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
