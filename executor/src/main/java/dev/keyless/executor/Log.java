package dev.keyless.executor;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The executor's own messages, on stderr so that stdout carries only job output (or a command's result). */
public final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Log() {}

    public static void info(String message) {
        System.err.println("[executor " + LocalTime.now().format(TIME) + "] " + message);
    }
}
