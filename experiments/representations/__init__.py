"""Representations (claims C20, C24). C20: a linear auto-encoder D -> K -> D trained by SGD on
whitened Gaussian data with a known spectrum learns the top-K principal subspace (principal
angles -> 0) and reaches the Eckart-Young optimum, while with a tie at K the loss reaches the
optimum but the subspace is not identified. C24: one neuron solves XOR once the product x1 x2 is
an input (LP certificate, trained over seeds); on Playground's circle, xor and spiral, a unit on
the engineered features without hidden layer vs a hidden layer on the raw inputs (paired over
seeds and data draws), and what the hidden units compute next to the engineered features."""
