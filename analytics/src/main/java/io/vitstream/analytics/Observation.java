package io.vitstream.analytics;

/**
 * One detection handed to the tracker: a box in frame pixels, its score and class.
 *
 * @param labelId class index of the detector
 * @param label class name
 */
public record Observation(double x1, double y1, double x2, double y2, double score, int labelId, String label) {}
