package io.vitstream.results;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One class of a classification result.
 *
 * @param id class index in the model's {@code id2label}
 * @param name class name ({@code id2label[id]}, or the index as text when the model has none)
 * @param score softmax probability in [0, 1]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Label(int id, String name, float score) {}
