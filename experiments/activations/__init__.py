"""Activations, output maps, losses and backpropagation (C06-C09, C16, C17): ranges,
monotonicity and derivatives of every elementwise activation of the core's registry, exact
zeros of relu units, softmax vs sparsemax on the simplex, loss gradients against closed forms
and finite differences, and backpropagation against finite differences."""
