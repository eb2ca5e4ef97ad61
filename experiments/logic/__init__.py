"""Neurons and logic (claims C02-C05): what one threshold unit computes, decided exactly by
linear programming (certificates for the 16 functions of 2 inputs, threshold-function counts
against OEIS A000609, the best linear accuracy on XOR, n-bit parity vs feature order), and
what trained nets do on truth tables (logistic regression on AND / OR / XOR, MLPs on XOR by
hidden width and activation, deep linear nets)."""
