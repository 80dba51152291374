package io.vitstream.analytics.sequences;

/**
 * One item on one frame of a sequence, as the ground truth knows it.
 *
 * @param id the item's id, the same on every frame of the sequence (1, 2, ... by first appearance)
 * @param labelId its class index
 * @param label its class name
 * @param x1 left edge of the box, frame pixels
 * @param y1 top edge
 * @param x2 right edge (exclusive: the box is the tight bounds of the item's pixels brighter than
 *     {@link SequenceGenerator#INK} that lie inside the frame)
 * @param y2 bottom edge (exclusive)
 * @param visible drawn on this frame; false while occluded (the box is then where it would be)
 * @param inFrame the share of the item's whole box (as if the frame had no edges) inside the frame,
 *     1 once it has fully entered; metrics may ignore items mostly outside
 */
public record TruthObject(int id, int labelId, String label, int x1, int y1, int x2, int y2, boolean visible, double inFrame) {}
