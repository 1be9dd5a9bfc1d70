package dev.keyless.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/** Describes a body that did not parse in the caller's terms (field paths, line and column), never Java types. */
public final class JsonProblems {

    private JsonProblems() {
    }

    public static String describe(JsonProcessingException e, String format) {
        if (e instanceof JsonParseException && e.getLocation() != null) {
            return "the body is not valid " + format + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + path(unknown) + "'";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "field '" + path(mapping) + "' has the wrong type or format";
        }
        return "the body is not valid " + format + " of the expected shape";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
