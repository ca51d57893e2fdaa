package dev.oomguard.cli;

import dev.oomguard.guard.Threshold;
import dev.oomguard.proc.Signal;
import dev.oomguard.units.ByteSize;
import picocli.CommandLine;

/** Picocli converters for oomguard's value types: bad text becomes a one-line usage error (exit 125). */
final class Converters {
    private Converters() {
    }

    static final class Size implements CommandLine.ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            try {
                ByteSize size = ByteSize.parse(value);
                if (size.bytes() == 0) {
                    throw new CommandLine.TypeConversionException("a size of 0: '" + value + "' (expected e.g. 4G)");
                }
                return size;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Level implements CommandLine.ITypeConverter<Threshold> {
        @Override
        public Threshold convert(String value) {
            try {
                return Threshold.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SignalName implements CommandLine.ITypeConverter<Signal> {
        @Override
        public Signal convert(String value) {
            try {
                return Signal.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
