package dev.keyless.issuer.key.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of the key ring: public JWK, sealed private key and the timestamps its state follows from. */
@Entity
@Table(name = "signing_key")
public class SigningKeyEntity extends PanacheEntityBase {

    @Id
    public String kid;

    @Column(nullable = false)
    public String algorithm;

    @Column(name = "public_jwk", nullable = false)
    public String publicJwk;

    /** Null once the key is gone or revoked: its private part is destroyed. */
    @Column(name = "sealed_private_key")
    public byte[] sealedPrivateKey;

    @Column(name = "kek_id", nullable = false)
    public String kekId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "activate_at", nullable = false)
    public Instant activateAt;

    @Column(name = "deactivate_at")
    public Instant deactivateAt;

    @Column(name = "unpublish_at")
    public Instant unpublishAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** MAC of the public data and timeline under the KEK ({@code KeyBinding}); null on rows not yet bound. */
    @Column(name = "binding")
    public byte[] binding;

    public KeyTimeline timeline() {
        return new KeyTimeline(activateAt, deactivateAt, unpublishAt, revokedAt);
    }
}
