package dev.keyless.problem;

import org.junit.jupiter.api.Test;

import java.util.Objects;

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
        RuntimeException wrapper =
                new RuntimeException("wrapper says password=hunter2", thrownWith("cause says token=eyJsecret"));

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

    @Test
    void aLibraryFrameIsFollowedByTheFirstFrameOfOurOwnCode() {
        NullPointerException fromLibrary;
        try {
            Objects.requireNonNull(null, "secret=xyz");
            throw new AssertionError("unreachable");
        } catch (NullPointerException e) {
            fromLibrary = e;
        }

        String origin = ProblemMappers.origin(fromLibrary);

        assertTrue(origin.startsWith("java.base/java.util.Objects.requireNonNull"), origin);
        assertTrue(origin.contains(" via dev.keyless.problem.ProblemMappersTest."), origin);
        assertFalse(origin.contains("xyz"), origin);
    }

    @Test
    void aCauseChainThatLoopsEndsInsteadOfSpinning() {
        RuntimeException first = new RuntimeException("a");
        RuntimeException second = new RuntimeException("b", first);
        first.initCause(second);

        assertTrue(ProblemMappers.origin(first).contains("ProblemMappersTest"));
    }
}
