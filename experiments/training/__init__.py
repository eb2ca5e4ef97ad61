"""Training (C14, C15, C18): the L2 regulariser of the ERM objective swept over lambda on a
noisy Playground task (weight norm, train/test gap); mini-batch gradients at fixed weights
(unbiased mean, variance vs B) and loss curves of GD, SGD and mini-batch SGD; the final
training loss over many initial weights (XOR, spiral), clustered into distinct minima."""
