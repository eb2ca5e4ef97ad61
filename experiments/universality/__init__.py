"""The limits of universal approximation (C25, lecture L612, L621): one hidden layer with a
polynomial activation (linear, quadratic) plateaus at the best polynomial fit of its degree
whatever its width, while sigmoid, tanh and relu keep falling (Leshno et al. 1993), measured in
the sup norm with exact least-squares readouts on random hidden layers; and the hidden units
needed for a fixed sup error as the input dimension D grows: exponentially many for a Lipschitz
target, by construction and with random features, none more for a ridge target by
construction, where random features cannot follow."""
