"""Defects that the sabotage tests of several families plant in the core's training step."""

import numpy as np

from mlp import engine
from mlp.losses import LOSSES


def gradient_ascent(monkeypatch, *losses: str) -> None:
    """The training step's gradient at the output pre-activation with the wrong sign, for nets
    trained with one of `losses`: every step climbs the loss instead of descending it."""
    output_grad = engine._Engine._output_grad
    defective = [LOSSES[name] for name in losses]

    def ascent(self, z, y, grad, scratch):
        output_grad(self, z, y, grad, scratch)
        if any(self.loss is loss for loss in defective):
            np.negative(grad, out=grad)

    monkeypatch.setattr(engine._Engine, "_output_grad", ascent)
