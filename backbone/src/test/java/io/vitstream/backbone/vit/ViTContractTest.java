package io.vitstream.backbone.vit;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneContract;

/** The ViT under the backbone contract, with a class token and registers so both paths run. */
class ViTContractTest extends BackboneContract {

    @Override
    protected Backbone newBackbone() {
        return new ViT(ViTConfig.builder().setPatchSize(4).setHiddenSize(16).setNumLayers(2).setNumHeads(2)
                .setIntermediateSize(32).optImageSize(16, 12).optNumRegisterTokens(1).optLayerNormEps(1e-6).build());
    }
}
