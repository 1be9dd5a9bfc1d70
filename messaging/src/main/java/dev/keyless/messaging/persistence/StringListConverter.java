package dev.keyless.messaging.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.List;

/**
 * Stores a short list of names or ids as a JSON array in a text column. A null list is SQL NULL and SQL NULL is a
 * null list: NULL means "no value yet" (scheduler's {@code job.context_ids} before the contexts are resolved), which
 * an empty list ({@code []}, resolved to none) must not be confused with. Columns that always hold a list are
 * {@code NOT NULL} and their entities start with an empty list.
 */
@Converter
public class StringListConverter implements AttributeConverter<List<String>, String> {

    /** Its own mapper: the stored format must not follow the API's Jackson configuration. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

    @Override
    public String convertToDatabaseColumn(List<String> values) {
        try {
            return values == null ? null : JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("list cannot be stored", e);
        }
    }

    @Override
    public List<String> convertToEntityAttribute(String column) {
        try {
            return column == null ? null : List.copyOf(JSON.readValue(column, LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored list is not a JSON array", e);
        }
    }
}
