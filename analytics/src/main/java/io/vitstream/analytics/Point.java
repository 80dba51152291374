package io.vitstream.analytics;

/** A point in pixels of the frame: x to the right, y down, origin at the top-left corner. */
public record Point(double x, double y) {}
