package dev.keyless.credential.revocation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class RevocationMigrationTest {

    private static final String MIGRATION = "/db/keyless-job-credential/V3__revoked_job_credentials.sql";

    /** context- and issuer-service applied this file as their own V3: Flyway refuses to start if its checksum moves. */
    @Test
    void theRevocationMigrationStaysByteForByteTheV3DatabasesAlreadyApplied()
            throws IOException, NoSuchAlgorithmException {
        try (InputStream sql = getClass().getResourceAsStream(MIGRATION)) {
            assertNotNull(sql);
            String digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(sql.readAllBytes()));
            assertEquals("37cd74632c17fbc4749065a7d19a7060f6f4c54dae58be661038a75f63580407", digest);
        }
    }
}
