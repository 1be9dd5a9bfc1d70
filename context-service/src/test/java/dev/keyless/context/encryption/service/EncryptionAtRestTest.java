package dev.keyless.context.encryption.service;

import dev.keyless.context.context.model.Context;
import dev.keyless.context.support.Database;
import dev.keyless.context.support.IssuerContractStub;
import dev.keyless.context.support.JobEvents;
import dev.keyless.events.JobStarted;
import dev.keyless.testing.KeylessTestResource;
import dev.keyless.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keyless.context.support.Api.createContext;
import static dev.keyless.context.support.Api.setVariable;
import static dev.keyless.context.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@QuarkusTestResource(KeylessTestResource.class)
@QuarkusTestResource(IssuerContractStub.class)
class EncryptionAtRestTest {

    /** %test's previous KEK (application.properties); the current one is test-2. */
    private static final byte[] TEST_1 = Base64.getDecoder().decode("dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktbnVtYmVyLTE=");

    private final UUID org = UUID.randomUUID();

    @Test
    void noRowOfAnyTableHoldsAValueInPlainText() throws Exception {
        String value = "plaintext-canary-" + UUID.randomUUID();
        UUID context = createContext(org, uniqueName("at-rest"));
        setVariable(org, context, "CANARY", value);
        String hex = HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
        String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));

        List<String> rows = Database.dumpAllRows();
        assertFalse(rows.isEmpty());
        for (String row : rows) {
            assertFalse(row.contains(value) || row.contains(hex) || row.contains(base64), row);
        }
        assertEquals(
                1,
                Database.count(
                        "select count(*) from context_variable where context_id = ? and name = 'CANARY'", context));
    }

    @Test
    void aKekRotationRewrapsDataKeysWithoutReencryptingValues() throws Exception {
        // a context written before the rotation: data key wrapped by test-1, the previous KEK
        ContextCipher before = new ContextCipher(new KeyRing("test-1", Map.of("test-1", Aead.key(TEST_1))));
        Context context = new Context();
        context.id = UUID.randomUUID();
        context.name = uniqueName("rotated");
        before.assignDataKey(context);
        byte[] ciphertext = before.encrypt(before.dataKey(context), context.id, "OLD_SECRET", "value-before-rotation");
        try (Connection connection = Database.connect()) {
            PreparedStatement insert = connection.prepareStatement("insert into context (id, org_id, name, data_key, "
                    + "kek_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)");
            insert.setObject(1, context.id);
            insert.setObject(2, org);
            insert.setString(3, context.name);
            insert.setBytes(4, context.dataKey);
            insert.setString(5, context.kekId);
            insert.setTimestamp(6, Timestamp.from(Instant.now()));
            insert.setTimestamp(7, Timestamp.from(Instant.now()));
            insert.executeUpdate();
            PreparedStatement variable = connection.prepareStatement("insert into context_variable (id, context_id, "
                    + "name, ciphertext, updated_at, updated_by) values (?, ?, 'OLD_SECRET', ?, ?, 'test')");
            variable.setObject(1, UUID.randomUUID());
            variable.setObject(2, context.id);
            variable.setBytes(3, ciphertext);
            variable.setTimestamp(4, Timestamp.from(Instant.now()));
            variable.executeUpdate();
        }
        JobStarted job = JobEvents.started(org, UUID.randomUUID(), List.of(context.name));
        JobEvents.resolved(job);
        IssuerContractStub.tokens(job.jobId(), "t1", "t2");
        String credential = TestTokens.jobCredential(job.jobId(), org);

        // the previous KEK still unwraps
        given().auth()
                .oauth2(credential)
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200)
                .body("variables.OLD_SECRET", equalTo("value-before-rotation"));

        given().auth()
                .oauth2(TestTokens.orgAdmin(org))
                .contentType(ContentType.JSON)
                .post("/api/v1/admin/key-encryption-key/rewrap")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.platformAdmin())
                .contentType(ContentType.JSON)
                .post("/api/v1/admin/key-encryption-key/rewrap")
                .then()
                .statusCode(200)
                .body("kek_id", equalTo("test-2"))
                .body("rewrapped", greaterThanOrEqualTo(1));

        try (Connection connection = Database.connect();
                PreparedStatement query = connection.prepareStatement("select c.kek_id, c.data_key, v.ciphertext "
                        + "from context c join context_variable v on v.context_id = c.id where c.id = ?")) {
            query.setObject(1, context.id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertEquals("test-2", row.getString(1));
                assertFalse(Arrays.equals(context.dataKey, row.getBytes(2)));
                assertArrayEquals(ciphertext, row.getBytes(3), "values are not re-encrypted");
            }
        }
        given().auth()
                .oauth2(credential)
                .get("/api/v1/jobs/{job}/environment", job.jobId())
                .then()
                .statusCode(200)
                .body("variables.OLD_SECRET", equalTo("value-before-rotation"));
    }
}
