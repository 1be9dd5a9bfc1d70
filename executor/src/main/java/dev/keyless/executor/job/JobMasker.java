package dev.keyless.executor.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The job's {@link Masker}, which also learns the values that commands inside the job register while it runs (a
 * Vault token that {@code executor vault login} got): before each line it looks whether the job's masks directory
 * changed, so a value registered before it is printed is masked in that very line.
 */
final class JobMasker {

    private final List<String> secrets;
    private final TokenRegistry registry;
    private FileTime seen;
    private Masker masker;

    JobMasker(Collection<String> secrets, TokenRegistry registry) {
        this.secrets = new ArrayList<>(secrets);
        this.registry = registry;
        this.masker = new Masker(secrets);
    }

    synchronized String mask(String line) {
        try {
            FileTime modified = Files.getLastModifiedTime(registry.masksDirectory());
            if (!modified.equals(seen)) {
                List<String> all = new ArrayList<>(secrets);
                all.addAll(registry.masks());
                masker = new Masker(all);
                seen = modified;
            }
        } catch (NoSuchFileException e) {
            // nothing registered yet
        } catch (IOException e) {
            // keep masking with what is known
        }
        return masker.mask(line);
    }
}
