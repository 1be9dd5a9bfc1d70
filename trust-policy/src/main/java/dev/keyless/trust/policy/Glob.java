package dev.keyless.trust.policy;

import java.util.regex.Pattern;

/** Wildcard patterns of the relying parties: IAM's {@code *} and {@code ?}, Vault's {@code *} only. */
final class Glob {

    private Glob() {}

    /** IAM StringLike: {@code *} matches any run of characters (slashes too), {@code ?} exactly one. */
    static boolean iamMatches(String pattern, String value) {
        return compile(pattern, true).matcher(value).matches();
    }

    /** Vault {@code bound_claims_type=glob} (go-glob): only {@code *} is special. */
    static boolean vaultMatches(String pattern, String value) {
        return compile(pattern, false).matcher(value).matches();
    }

    static boolean hasWildcard(String pattern, boolean questionMark) {
        return pattern.indexOf('*') >= 0 || (questionMark && pattern.indexOf('?') >= 0);
    }

    /** The text before the first wildcard. */
    static String literalPrefix(String pattern, boolean questionMark) {
        int end = pattern.length();
        int star = pattern.indexOf('*');
        if (star >= 0) {
            end = star;
        }
        int question = questionMark ? pattern.indexOf('?') : -1;
        if (question >= 0 && question < end) {
            end = question;
        }
        return pattern.substring(0, end);
    }

    private static Pattern compile(String pattern, boolean questionMark) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || (questionMark && c == '?')) {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
