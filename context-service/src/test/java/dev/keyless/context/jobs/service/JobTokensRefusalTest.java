package dev.keyless.context.jobs.service;

import dev.keyless.problem.ProblemException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobTokensRefusalTest {

    private static int status(int issuerStatus, boolean usesContext) {
        return assertThrows(ProblemException.class, () -> JobTokens.refusal(issuerStatus, usesContext)
                        .await()
                        .indefinitely())
                .status();
    }

    @Test
    void issuerRefusingTheCredentialIsRefusedAlike() {
        assertEquals(401, status(401, true));
        assertEquals(403, status(403, true));
    }

    @Test
    void noTokensForAJobUsingContextsIsABadGatewayButForOneWithoutContextsMeansNoTokens() {
        assertEquals(502, status(404, true));
        assertNull(JobTokens.refusal(404, false).await().indefinitely());
    }

    @Test
    void anyOtherIssuerFailureIsABadGateway() {
        assertEquals(502, status(500, true));
        assertEquals(502, status(400, false));
    }
}
