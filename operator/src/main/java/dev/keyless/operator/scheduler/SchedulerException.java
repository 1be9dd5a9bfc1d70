package dev.keyless.operator.scheduler;

/** scheduler-service answered with an error status. */
public class SchedulerException extends Exception {

    private final int status;

    public SchedulerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The executor token was refused: retrying with the same token cannot help. */
    public boolean tokenRefused() {
        return status == 401 || status == 403;
    }
}
