package dev.keyless.executor.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentsTest {

    private static final Set<String> VALUES = Set.of("audience", "ttl");
    private static final Set<String> FLAGS = Set.of("once");

    @Test
    void readsSeparateAndInlineValuesFlagsAndPositionals() throws UsageException {
        Arguments arguments = Arguments.parse(List.of("--audience", "sts.amazonaws.com", "--ttl=600", "--once", "tok"),
                VALUES, FLAGS, Map.of());
        assertEquals(Optional.of("sts.amazonaws.com"), arguments.optional("audience", null));
        assertEquals(600, arguments.seconds("ttl", null, 1, 1, 3600));
        assertTrue(arguments.flag("once"));
        assertEquals(List.of("tok"), arguments.positional());
    }

    @Test
    void fallsBackToTheEnvironmentOnlyWhenTheOptionIsAbsent() throws UsageException {
        Map<String, String> env = Map.of("AUD", "from-env");
        assertEquals("from-env", Arguments.parse(List.of(), VALUES, FLAGS, env).required("audience", "AUD"));
        assertEquals("cli", Arguments.parse(List.of("--audience", "cli"), VALUES, FLAGS, env).required("audience", "AUD"));
    }

    @Test
    void treatsEverythingAfterDoubleDashAsPositional() throws UsageException {
        Arguments arguments = Arguments.parse(List.of("--", "--once"), VALUES, FLAGS, Map.of());
        assertFalse(arguments.flag("once"));
        assertEquals(List.of("--once"), arguments.positional());
    }

    @Test
    void refusesUnknownOptionsMissingValuesRepeatsAndValuedFlags() {
        assertThrows(UsageException.class, () -> Arguments.parse(List.of("--nope"), VALUES, FLAGS, Map.of()));
        assertThrows(UsageException.class, () -> Arguments.parse(List.of("--audience"), VALUES, FLAGS, Map.of()));
        assertThrows(UsageException.class,
                () -> Arguments.parse(List.of("--ttl", "1", "--ttl", "2"), VALUES, FLAGS, Map.of()));
        assertThrows(UsageException.class, () -> Arguments.parse(List.of("--once=yes"), VALUES, FLAGS, Map.of()));
    }

    @Test
    void aMissingRequiredOptionNamesItsEnvironmentVariable() throws UsageException {
        Arguments arguments = Arguments.parse(List.of(), VALUES, FLAGS, Map.of());
        UsageException e = assertThrows(UsageException.class, () -> arguments.required("audience", "AUD"));
        assertEquals("--audience is required (or set AUD)", e.getMessage());
    }

    @Test
    void refusesSecondsThatAreNotNumbersOrOutOfRange() throws UsageException {
        assertThrows(UsageException.class,
                () -> Arguments.parse(List.of("--ttl", "ten"), VALUES, FLAGS, Map.of()).seconds("ttl", null, 1, 1, 60));
        assertThrows(UsageException.class,
                () -> Arguments.parse(List.of("--ttl", "61"), VALUES, FLAGS, Map.of()).seconds("ttl", null, 1, 1, 60));
        assertEquals(30, Arguments.parse(List.of(), VALUES, FLAGS, Map.of()).seconds("ttl", null, 30, 1, 60));
    }
}
