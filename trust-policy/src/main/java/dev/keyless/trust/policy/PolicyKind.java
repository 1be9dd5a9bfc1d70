package dev.keyless.trust.policy;

import java.util.Locale;

/** The relying parties whose policies the simulator evaluates. */
public enum PolicyKind {
    /** An AWS IAM role's trust policy (the JSON document attached to the role). */
    AWS,
    /** A GCP workload identity pool provider, as {@code gcloud iam workload-identity-pools providers describe} prints it. */
    GCP,
    /** A HashiCorp Vault JWT auth role, as {@code vault read -format=json auth/jwt/role/NAME} prints it. */
    VAULT;

    /** @throws PolicyFormatException when {@code name} is none of {@code aws}, {@code gcp}, {@code vault} */
    public static PolicyKind parse(String name) {
        if (name != null) {
            for (PolicyKind kind : values()) {
                if (kind.name().equalsIgnoreCase(name.trim())) {
                    return kind;
                }
            }
        }
        throw new PolicyFormatException("type must be one of aws, gcp, vault");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
