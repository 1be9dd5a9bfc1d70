package dev.keyless.executor.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyless.executor.api.KeylessApi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the job's commands hand to the executor that runs beside the job, through the job's private directory: a
 * command inside the job ({@code executor aws configure}, ...) writes a token file under {@code tokens/} and
 * registers it with its audience and lifetime in a {@code .json} file beside it, so that the executor's
 * {@link TokenRefresher} keeps it fresh; and values the job's output must not show go under {@code masks/}.
 * A registration names its token file by a plain name, so the executor never writes anywhere but under
 * {@code tokens/}, whatever a job puts there.
 */
public final class TokenRegistry {

    /** A token file name: lower-case letters, digits and dashes, then {@code .jwt}. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private static final String TOKEN_SUFFIX = ".jwt";
    private static final String REGISTRATION_SUFFIX = ".json";

    /** A token file the executor keeps fresh: re-minted for {@code audience}, asking for {@code ttlSeconds}. */
    public record Registration(String name, Path tokenFile, String audience, int ttlSeconds) {}

    private final Path tokens;
    private final Path masks;

    public TokenRegistry(Path jobDirectory) {
        this.tokens = jobDirectory.resolve("tokens");
        this.masks = jobDirectory.resolve("masks");
    }

    /** Whether {@code name} can name a token file. */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    public Path tokenFile(String name) {
        if (!validName(name)) {
            throw new IllegalArgumentException("not a token file name: " + name);
        }
        return tokens.resolve(name + TOKEN_SUFFIX);
    }

    /**
     * Inside the job: writes the token file (0600, atomically), then its registration, so that the executor finds
     * only registrations whose token file exists. Returns the token file.
     */
    public Path register(String name, String token, String audience, int ttlSeconds) throws IOException {
        Path file = tokenFile(name);
        PrivateFiles.write(file, token);
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("token_file", file.getFileName().toString());
        registration.put("audience", audience);
        registration.put("ttl_seconds", ttlSeconds);
        PrivateFiles.write(
                tokens.resolve(name + REGISTRATION_SUFFIX), KeylessApi.JSON.writeValueAsString(registration));
        return file;
    }

    /** The registered token files; a registration that is unreadable or names anything but its own file is skipped. */
    public List<Registration> registrations() throws IOException {
        List<Registration> result = new ArrayList<>();
        for (Path entry : list(tokens)) {
            String fileName = entry.getFileName().toString();
            if (!fileName.endsWith(REGISTRATION_SUFFIX)) {
                continue;
            }
            String name = fileName.substring(0, fileName.length() - REGISTRATION_SUFFIX.length());
            try {
                JsonNode registration = KeylessApi.JSON.readTree(Files.readString(entry, StandardCharsets.UTF_8));
                String audience = registration.path("audience").asText("");
                int ttl = registration.path("ttl_seconds").asInt(0);
                if (validName(name)
                        && (name + TOKEN_SUFFIX)
                                .equals(registration.path("token_file").asText())
                        && !audience.isEmpty()
                        && ttl > 0) {
                    result.add(new Registration(name, tokenFile(name), audience, ttl));
                }
            } catch (IOException e) {
                // half a registration from a job that was writing it by hand: ignored until it is whole
            }
        }
        return result;
    }

    /** Inside the job: a value the job's output must show as a mask from now on (a Vault token, say). */
    public void addMask(String secret) throws IOException {
        PrivateFiles.write(masks.resolve(UUID.randomUUID().toString()), secret);
    }

    public Path masksDirectory() {
        return masks;
    }

    public List<String> masks() throws IOException {
        List<String> result = new ArrayList<>();
        for (Path entry : list(masks)) {
            if (!entry.getFileName().toString().startsWith(".")) {
                try {
                    result.add(Files.readString(entry, StandardCharsets.UTF_8));
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        }
        return result;
    }

    private static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        }
    }
}
