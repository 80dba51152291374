package io.vitstream.results;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One detected object.
 *
 * @param labelId class index in the model's {@code id2label}
 * @param label class name
 * @param score probability of the class in [0, 1]
 * @param box where it is, in original-frame pixels
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Detection(int labelId, String label, float score, Box box) {}
