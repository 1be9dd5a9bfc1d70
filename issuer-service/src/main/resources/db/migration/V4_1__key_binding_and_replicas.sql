-- HMAC-SHA256 under a key derived from the KEK over kid, algorithm, public JWK and the four instants (KeyBinding):
-- a row without a valid binding is never published nor used to sign. Rows from before this migration get
-- theirs at the first start that can open their sealed private key.
ALTER TABLE signing_key ADD COLUMN binding BYTEA;

-- One row per running replica: the ring version it has loaded and until when it may sign with it. A revoke
-- answers only once every replica has loaded the revoking version or its lease has run out.
CREATE TABLE key_ring_replica (
    replica_id    UUID        PRIMARY KEY,
    acked_version BIGINT      NOT NULL,
    lease_until   TIMESTAMPTZ NOT NULL
);
