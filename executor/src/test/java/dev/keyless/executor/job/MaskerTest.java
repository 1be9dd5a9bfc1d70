package dev.keyless.executor.job;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MaskerTest {

    @Test
    void masksAWholeLineThatIsASecret() {
        assertEquals("********", new Masker(List.of("hunter2")).mask("hunter2"));
    }

    @Test
    void masksASecretInTheMiddleOfALineAndEveryOccurrence() {
        Masker masker = new Masker(List.of("s3cr3t"));
        assertEquals("DB_PASSWORD=******** and again ********!", masker.mask("DB_PASSWORD=s3cr3t and again s3cr3t!"));
    }

    @Test
    void masksTheLongestSecretWhenOneContainsAnother() {
        Masker masker = new Masker(List.of("abc", "abcdef"));
        // longest first: "abcdef" is masked whole, not as "********def"
        assertEquals("x ******** y", masker.mask("x abcdef y"));
        assertEquals("x ******** y", masker.mask("x abc y"));
    }

    @Test
    void masksAdjacentSecretsSeparately() {
        assertEquals("****************", new Masker(List.of("foo", "bar")).mask("foobar"));
    }

    @Test
    void neverMatchesASecretInsideAnInsertedMask() {
        // a secret made of asterisks must not eat the mask of another secret
        assertEquals("******** ********", new Masker(List.of("token", "**")).mask("token **"));
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        Masker masker = new Masker(List.of("-----BEGIN KEY-----\nMIIEabc\n-----END KEY-----\n"));
        assertEquals("********", masker.mask("MIIEabc"));
        assertEquals("key: ********", masker.mask("key: -----BEGIN KEY-----"));
    }

    @Test
    void masksAnythingShapedLikeAJwt() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        assertEquals("token=******** done", new Masker(List.of()).mask("token=" + jwt + " done"));
    }

    @Test
    void ignoresEmptyAndNullValuesAndLeavesOtherTextAlone() {
        Masker masker = new Masker(Arrays.asList("", null, "secret"));
        assertEquals("nothing to hide here", masker.mask("nothing to hide here"));
        assertEquals("", masker.mask(""));
    }
}
