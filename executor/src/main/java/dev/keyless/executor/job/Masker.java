package dev.keyless.executor.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces every secret value in a line of job output with {@value #MASK}.
 *
 * <p>One left-to-right scan that takes the longest secret starting at each position, so a secret that contains
 * another is masked whole and a mask is never itself re-matched. A multi-line value (a PEM key, say) is also
 * masked line by line, because output is masked one line at a time. Anything shaped like a JWT is masked too:
 * a job can mint fresh tokens ({@code executor oidc get}) that no mask list knows about.
 */
public final class Masker {

    public static final String MASK = "********";

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    /** Secrets by their first character, longest first. */
    private final Map<Character, List<String>> secretsByFirstChar = new HashMap<>();

    public Masker(Collection<String> secrets) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            distinct.add(secret);
            if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
                for (String line : secret.split("\\R")) {
                    if (!line.isBlank()) {
                        distinct.add(line);
                        distinct.add(line.strip());
                    }
                }
            }
        }
        for (String secret : distinct) {
            secretsByFirstChar
                    .computeIfAbsent(secret.charAt(0), c -> new ArrayList<>())
                    .add(secret);
        }
        secretsByFirstChar
                .values()
                .forEach(list ->
                        list.sort(Comparator.comparingInt(String::length).reversed()));
    }

    public String mask(String line) {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            String match = longestSecretAt(line, i);
            if (match == null) {
                out.append(line.charAt(i));
                i++;
            } else {
                out.append(MASK);
                i += match.length();
            }
        }
        return JWT.matcher(out).replaceAll(MASK);
    }

    private String longestSecretAt(String line, int position) {
        List<String> candidates = secretsByFirstChar.get(line.charAt(position));
        if (candidates == null) {
            return null;
        }
        for (String candidate : candidates) {
            if (line.startsWith(candidate, position)) {
                return candidate;
            }
        }
        return null;
    }
}
