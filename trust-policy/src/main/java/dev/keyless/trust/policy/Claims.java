package dev.keyless.trust.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reading claim values the way relying parties compare them: as strings, one or many. */
final class Claims {

    private Claims() {}

    /** The claim's values as strings (an array claim gives each element), or null when the claim is absent. */
    static List<String> values(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> many) {
            List<String> out = new ArrayList<>(many.size());
            many.forEach(v -> out.add(String.valueOf(v)));
            return out;
        }
        return List.of(String.valueOf(value));
    }

    static String quoted(List<String> values) {
        if (values == null) {
            return "absent";
        }
        if (values.size() == 1) {
            return "'" + values.get(0) + "'";
        }
        return values.stream().map(v -> "'" + v + "'").toList().toString();
    }
}
