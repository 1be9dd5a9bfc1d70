package dev.keyless.executor.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobMaskerTest {

    @Test
    void aValueACommandRegistersInsideTheJobIsMaskedFromTheNextLineOn(@TempDir Path jobDirectory) throws Exception {
        TokenRegistry registry = new TokenRegistry(jobDirectory);
        JobMasker masker = new JobMasker(List.of("context-secret"), registry);
        assertEquals("token hvs.abc123 and ********", masker.mask("token hvs.abc123 and context-secret"));
        registry.addMask("hvs.abc123");
        assertEquals("token ******** and ********", masker.mask("token hvs.abc123 and context-secret"));
        registry.addMask("second-token");
        assertEquals("******** ********", masker.mask("hvs.abc123 second-token"));
    }
}
