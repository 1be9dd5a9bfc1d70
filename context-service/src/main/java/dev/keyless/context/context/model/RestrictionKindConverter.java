package dev.keyless.context.context.model;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a restriction kind by its API name. */
@Converter
public class RestrictionKindConverter implements AttributeConverter<RestrictionKind, String> {

    @Override
    public String convertToDatabaseColumn(RestrictionKind kind) {
        return kind == null ? null : kind.wireName();
    }

    @Override
    public RestrictionKind convertToEntityAttribute(String value) {
        return value == null
                ? null
                : RestrictionKind.fromWire(value)
                        .orElseThrow(() -> new IllegalStateException("unknown restriction kind in the database"));
    }
}
