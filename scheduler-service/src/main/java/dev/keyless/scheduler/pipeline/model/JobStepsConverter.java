package dev.keyless.scheduler.pipeline.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.List;

/** Stores a job's steps as a JSON array in a text column. */
@Converter
public class JobStepsConverter implements AttributeConverter<List<JobStep>, String> {

    /** Its own mapper, snake_case as the rows already stored: the stored format must not follow the API's. */
    private static final ObjectMapper JSON =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private static final TypeReference<List<JobStep>> LIST = new TypeReference<>() {};

    @Override
    public String convertToDatabaseColumn(List<JobStep> steps) {
        try {
            return steps == null ? null : JSON.writeValueAsString(steps);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("steps cannot be stored", e);
        }
    }

    @Override
    public List<JobStep> convertToEntityAttribute(String column) {
        try {
            return column == null ? null : List.copyOf(JSON.readValue(column, LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored steps are not a JSON array of steps", e);
        }
    }
}
