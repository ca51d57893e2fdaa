package dev.oomguard.proc;

import java.util.Locale;
import java.util.Optional;

/** Linux signal numbers (x86, arm, riscv: the generic table) and their names. */
public enum Signal {
    HUP(1), INT(2), QUIT(3), ILL(4), TRAP(5), ABRT(6), BUS(7), FPE(8), KILL(9), USR1(10),
    SEGV(11), USR2(12), PIPE(13), ALRM(14), TERM(15), STKFLT(16), CHLD(17), CONT(18), STOP(19),
    TSTP(20), TTIN(21), TTOU(22), URG(23), XCPU(24), XFSZ(25), VTALRM(26), PROF(27), WINCH(28),
    IO(29), PWR(30), SYS(31);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** {@code SIGTERM}. */
    public String fullName() {
        return "SIG" + name();
    }

    public static Optional<Signal> of(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** {@code SIGTERM}, or {@code signal 40} for one without a name here. */
    public static String describe(int number) {
        return of(number).map(Signal::fullName).orElse("signal " + number);
    }

    /**
     * Reads {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Signal parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("SIG")) {
            t = t.substring(3);
        }
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(t);
            return of(n).orElseThrow(() -> new IllegalArgumentException("no such signal: '" + text + "'"));
        }
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no such signal: '" + text + "' (expected e.g. USR1, SIGTERM or 15)");
        }
    }
}
