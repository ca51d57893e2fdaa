package dev.oomguard.cli;

import java.util.Optional;

/**
 * One word of options as the command line and {@code OOMGUARD_OPTS} split it: the option's name,
 * and the value given in the same word ({@code --warn=70%}), when there is one.
 */
record OptionWord(String name, Optional<String> inline) {
    /** {@code --name=value} splits at the first '='; any other word is a name alone. */
    static OptionWord of(String word) {
        int eq = word.indexOf('=');
        if (word.startsWith("--") && eq > 0) {
            return new OptionWord(word.substring(0, eq), Optional.of(word.substring(eq + 1)));
        }
        return new OptionWord(word, Optional.empty());
    }
}
