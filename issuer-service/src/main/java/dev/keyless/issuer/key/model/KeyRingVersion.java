package dev.keyless.issuer.key.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row every replica polls: any change to the key ring bumps {@link #version}. */
@Entity
@Table(name = "key_ring")
public class KeyRingVersion extends PanacheEntityBase {

    public static final int ROW = 1;

    @Id
    public Integer id;

    @Column(nullable = false)
    public long version;
}
