package io.vitstream.backbone.dinov2;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneContract;
import io.vitstream.backbone.nn.Activation;

/** DINOv2 under the backbone contract: the plain variant with the GELU MLP. */
class Dinov2ContractTest extends BackboneContract {

    @Override
    protected Backbone newBackbone() {
        return new Dinov2(new Dinov2Config(false, 16, 4, 3, 16, 2, 2, 4, Activation.GELU, 1e-6, true, 0.5,
                false, 0, true, 0, 0, 0, 0.02));
    }
}
