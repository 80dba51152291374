package io.vitstream.results;

/**
 * One class of a classification result.
 *
 * @param id class index in the model's {@code id2label}
 * @param name class name ({@code id2label[id]}, or the index as text when the model has none)
 * @param score softmax probability in [0, 1]
 */
public record Label(int id, String name, float score) {}
