package dev.vessel.runtime;

import java.util.List;
import java.util.Locale;

/** Signal names (TERM, SIGTERM) and numbers (15) as kill accepts them, for x86_64. */
public final class Signals {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {
    }

    public static int parse(String signal) {
        String s = signal.toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } else {
            int n = NAMES.indexOf(s.equals("IOT") ? "ABRT" : s.equals("POLL") ? "IO" : s);
            if (n > 0) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown signal " + signal);
    }
}
