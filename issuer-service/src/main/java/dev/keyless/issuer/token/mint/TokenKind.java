package dev.keyless.issuer.token.mint;

/** Which token: the two delivered into the job environment, or one asked for during the job. */
public enum TokenKind {
    V1,
    V2,
    ON_DEMAND
}
