package dev.keyless.executor.cli;

/** The command line cannot be understood; the message tells the user what to fix. */
public class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
