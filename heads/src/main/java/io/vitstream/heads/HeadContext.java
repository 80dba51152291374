package io.vitstream.heads;

import io.vitstream.backbone.Backbone;

/**
 * What a head needs to know about the backbone it sits on.
 *
 * @param hiddenSize token width D
 * @param numPrefixTokens tokens before the patch tokens
 * @param hasClassToken whether token 0 is a class token
 */
public record HeadContext(int hiddenSize, int numPrefixTokens, boolean hasClassToken) {

    /** The context of a backbone. */
    public static HeadContext of(Backbone backbone) {
        return new HeadContext(backbone.hiddenSize(), backbone.numPrefixTokens(), backbone.hasClassToken());
    }
}
