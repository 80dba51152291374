package io.vitstream.backbone.dinov2;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneContract;
import io.vitstream.backbone.nn.Activation;

/** DINOv2 with registers under the backbone contract: 2 registers, the SwiGLU MLP. */
class Dinov2WithRegistersContractTest extends BackboneContract {

    @Override
    protected Backbone newBackbone() {
        return new Dinov2(new Dinov2Config(true, 16, 4, 3, 16, 2, 2, 4, Activation.GELU, 1e-6, true, 0.5,
                true, 2, true, 0, 0, 0, 0.02));
    }
}
