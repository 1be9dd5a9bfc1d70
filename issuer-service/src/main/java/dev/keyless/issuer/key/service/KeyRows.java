package dev.keyless.issuer.key.service;

import dev.keyless.issuer.key.crypto.KeyBinding;
import dev.keyless.issuer.key.crypto.KeySealer;
import dev.keyless.issuer.key.crypto.SigningAlgorithm;
import dev.keyless.issuer.key.crypto.SigningKey;
import dev.keyless.issuer.key.model.KeyState;
import dev.keyless.issuer.key.model.KeyTimeline;
import dev.keyless.issuer.key.model.SigningKeyEntity;
import org.jboss.logging.Logger;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signing-key rows under the KEK: which rows are trusted (their MAC binding holds) and which this replica can
 * sign with, how a plan is written into rows, and how rows become the in-memory ring.
 */
final class KeyRows {

    private static final Logger LOG = Logger.getLogger(KeyRows.class);

    private final KeySealer sealer;
    private final KeyBinding binding;

    KeyRows(KeySealer sealer) {
        this.sealer = sealer;
        this.binding = sealer.binding();
    }

    boolean trusted(SigningKeyEntity row) {
        return binding.verify(row.kid, row.algorithm, row.publicJwk, row.timeline(), row.binding);
    }

    /** The live keys the planner may act on: revoked rows and rows failing their binding are left alone. */
    List<RingPlanner.Key> plannable(List<SigningKeyEntity> rows) {
        return rows.stream()
                .filter(r -> r.revokedAt == null && trusted(r))
                .map(r -> new RingPlanner.Key(r.kid, r.timeline(), r.createdAt, usable(r)))
                .toList();
    }

    /** @throws KeyNotFoundException when no row has {@code kid} */
    RingPlanner.Target target(List<SigningKeyEntity> rows, String kid) {
        SigningKeyEntity row = find(rows, kid);
        return new RingPlanner.Target(kid, row.revokedAt != null, trusted(row));
    }

    SigningKeyEntity find(List<SigningKeyEntity> rows, String kid) {
        return rows.stream()
                .filter(r -> r.kid.equals(kid))
                .findFirst()
                .orElseThrow(() -> new KeyNotFoundException(kid));
    }

    /**
     * Writes {@code plan} into {@code rows} (each changed row bound anew) and seals {@code fresh} keys into new
     * rows, one per created timeline.
     *
     * @return the new rows, to persist
     */
    List<SigningKeyEntity> write(
            List<SigningKeyEntity> rows, RingPlanner.Plan plan, List<SigningKey> fresh, Instant now) {
        for (SigningKeyEntity row : rows) {
            KeyTimeline timeline = plan.changed().get(row.kid);
            if (timeline != null) {
                row.activateAt = timeline.activateAt();
                row.deactivateAt = timeline.deactivateAt();
                row.unpublishAt = timeline.unpublishAt();
                row.revokedAt = timeline.revokedAt();
                if (row.revokedAt != null) {
                    row.sealedPrivateKey = null;
                }
                bind(row);
            } else if (plan.discarded().contains(row.kid)) {
                row.revokedAt = now;
                row.sealedPrivateKey = null;
            }
        }
        List<SigningKeyEntity> created = new ArrayList<>();
        for (int i = 0; i < plan.created().size(); i++) {
            SigningKey key = fresh.get(i);
            KeyTimeline timeline = plan.created().get(i);
            SigningKeyEntity entity = new SigningKeyEntity();
            entity.kid = key.kid();
            entity.algorithm = key.algorithm().name();
            entity.publicJwk = key.publicJwkJson();
            entity.sealedPrivateKey = sealer.seal(key);
            entity.kekId = sealer.kekId();
            entity.createdAt = now;
            entity.activateAt = timeline.activateAt();
            entity.deactivateAt = timeline.deactivateAt();
            entity.unpublishAt = timeline.unpublishAt();
            bind(entity);
            created.add(entity);
            LOG.infof("signing key %s (%s) created; signs from %s", entity.kid, entity.algorithm, entity.activateAt);
        }
        plan.changed().forEach((kid, timeline) -> {
            if (timeline.revokedAt() != null) {
                LOG.warnf("signing key %s revoked", kid);
            }
        });
        return created;
    }

    /**
     * Bindings for rows from before bindings existed, computed only for rows whose sealed private key opens under
     * the KEK and matches the public JWK: AES-GCM authenticates it, and the self-test ties the public key to it.
     * CPU work: off the event loop.
     */
    Map<String, byte[]> legacyBindings(List<SigningKeyEntity> rows) {
        Map<String, byte[]> macs = new LinkedHashMap<>();
        for (SigningKeyEntity row : rows) {
            if (usable(row)) {
                try {
                    sealer.unseal(row.kid, SigningAlgorithm.parse(row.algorithm), row.sealedPrivateKey, row.publicJwk);
                    macs.put(row.kid, binding.mac(row.kid, row.algorithm, row.publicJwk, row.timeline()));
                } catch (IllegalStateException e) {
                    LOG.errorf("signing key %s cannot be bound to the KEK: %s", row.kid, e.getMessage());
                }
            }
        }
        return macs;
    }

    /** Gives {@code macs} to the rows that still stand as they were checked; answers how many were bound. */
    int bindLegacy(List<SigningKeyEntity> rows, Map<String, byte[]> macs) {
        int bound = 0;
        for (SigningKeyEntity row : rows) {
            byte[] mac = macs.get(row.kid);
            // bound only if nothing changed since it was checked
            if (mac != null
                    && row.binding == null
                    && row.revokedAt == null
                    && binding.verify(row.kid, row.algorithm, row.publicJwk, row.timeline(), mac)) {
                row.binding = mac;
                bound++;
            }
        }
        LOG.infof("bound %d signing keys from before KEK bindings", bound);
        return bound;
    }

    /** The trusted rows among {@code rows}; each other one is logged. */
    List<SigningKeyEntity> trustedOnly(List<SigningKeyEntity> rows) {
        List<SigningKeyEntity> trusted = new ArrayList<>();
        for (SigningKeyEntity row : rows) {
            if (trusted(row)) {
                trusted.add(row);
            } else {
                LOG.errorf(
                        "signing key %s fails its KEK binding (written or altered outside the "
                                + "service); it is neither published nor used",
                        row.kid);
            }
        }
        return trusted;
    }

    /** A trusted row as a ring key; unsealing and self-testing it is CPU work, off the event loop. */
    Optional<RingKey> toRingKey(SigningKeyEntity row) {
        SigningAlgorithm rowAlgorithm = SigningAlgorithm.parse(row.algorithm);
        PublicKey publicKey;
        try {
            publicKey = SigningKey.publicKeyOf(row.publicJwk);
        } catch (ParseException | GeneralSecurityException e) {
            LOG.errorf("signing key %s has an unreadable public JWK; it is not published", row.kid);
            return Optional.empty();
        }
        SigningKey signer = null;
        if (usable(row) && row.timeline().stateAt(Instant.now()) != KeyState.RETIRING) {
            try {
                signer = sealer.unseal(row.kid, rowAlgorithm, row.sealedPrivateKey, row.publicJwk);
            } catch (IllegalStateException e) {
                LOG.errorf("%s; it stays published but cannot sign", e.getMessage());
            }
        }
        return Optional.of(
                new RingKey(row.kid, rowAlgorithm, row.timeline(), row.createdAt, row.publicJwk, publicKey, signer));
    }

    private boolean usable(SigningKeyEntity row) {
        return row.sealedPrivateKey != null && sealer.kekId().equals(row.kekId);
    }

    private void bind(SigningKeyEntity row) {
        row.binding = binding.mac(row.kid, row.algorithm, row.publicJwk, row.timeline());
    }
}
