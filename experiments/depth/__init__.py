"""Relu's kink, vanishing gradients and trainable depth (C22, C23): how often training meets
relu's non-differentiable point exactly and whether the value taken there (relu'(0) = 0, 1/2,
1) changes the trained nets of the same seeds; per-layer gradient norms at initialisation for
sigmoid, tanh and relu with Glorot and He initialisation up to 50 layers, the fraction of seeds
that reach a training-accuracy bar within a fixed budget vs depth, and the exact zeros of relu
units after training."""
