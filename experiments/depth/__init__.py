"""Relu's kink, vanishing gradients, trainable depth: Relu is not differentiable at 0."""
