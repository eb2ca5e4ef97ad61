"""Training (C14, C15, C18, C26): the L2 regulariser swept over lambda on a noisy Playground
task, lambda chosen on validation points and compared with lambda = 0 on the same seeds;
mini-batch gradients at fixed weights (unbiased mean, variance vs B) and loss curves of GD,
SGD and mini-batch SGD each at its own tuned learning rate; the final training loss over
many initial weights (XOR, spiral), counting only runs that settled, and midpoints of
permuted solutions as a direct witness of non-convexity."""
