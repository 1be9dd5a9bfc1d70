-- The issuer's signing keys. Private keys are sealed with AES-256-GCM under the key-encryption key (KEK);
-- the row only ever holds the ciphertext. A key's state follows from its timestamps (see KeyState), so a
-- scheduled transition needs no write and every replica agrees on it.
CREATE TABLE signing_key (
    kid                 VARCHAR(64)  PRIMARY KEY,
    algorithm           VARCHAR(10)  NOT NULL,
    public_jwk          TEXT         NOT NULL,
    sealed_private_key  BYTEA,
    kek_id              VARCHAR(64)  NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL,
    activate_at         TIMESTAMPTZ  NOT NULL,
    deactivate_at       TIMESTAMPTZ,
    unpublish_at        TIMESTAMPTZ,
    revoked_at          TIMESTAMPTZ
);

-- Bumped by every change to signing_key; replicas poll it and reload the ring when it moves.
CREATE TABLE key_ring (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT  NOT NULL
);
INSERT INTO key_ring (id, version) VALUES (1, 0);
