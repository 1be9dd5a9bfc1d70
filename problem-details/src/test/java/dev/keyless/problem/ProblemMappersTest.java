package dev.keyless.problem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemMappersTest {

    private static IllegalStateException thrownWith(String message) {
        try {
            throw new IllegalStateException(message);
        } catch (IllegalStateException e) {
            return e;
        }
    }

    @Test
    void theOriginNamesTheRootCausesFrameAndClassButNeverAMessage() {
        RuntimeException wrapper = new RuntimeException("wrapper says password=hunter2",
                thrownWith("cause says token=eyJsecret"));

        String origin = ProblemMappers.origin(wrapper);

        assertTrue(origin.contains("ProblemMappersTest.thrownWith"), origin);
        assertTrue(origin.contains("cause java.lang.IllegalStateException"), origin);
        assertFalse(origin.contains("hunter2") || origin.contains("eyJsecret"), origin);
    }

    @Test
    void aFailureWithoutCauseIsLocatedByItsOwnFrame() {
        String origin = ProblemMappers.origin(thrownWith("value=secret"));

        assertTrue(origin.startsWith("dev.keyless.problem.ProblemMappersTest.thrownWith"), origin);
        assertFalse(origin.contains("secret"), origin);
    }
}
