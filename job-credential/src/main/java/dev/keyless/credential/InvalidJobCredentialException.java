package dev.keyless.credential;

/**
 * The caller presented no job credential, or one that is not valid for the job it addresses. The message is safe
 * to show the caller (it never contains the credential).
 */
public class InvalidJobCredentialException extends RuntimeException {

    /** True when a valid credential was presented for another job (403), false when it is missing or invalid (401). */
    private final boolean forbidden;

    public InvalidJobCredentialException(String message, boolean forbidden) {
        super(message, null, false, false);
        this.forbidden = forbidden;
    }

    public boolean forbidden() {
        return forbidden;
    }
}
