"""Neurons and logic (claims C02-C05). Exact, by linear programming: what one threshold unit
computes (certificates for the 16 functions of 2 inputs, threshold-function counts against
OEIS A000609, the best linear accuracy on XOR) and Minsky-Papert locality from both sides
(n-bit parity vs feature order for one unit; a tree of 2-input threshold units computing it).
Trained, over many seeds with convergence measured per member: logistic regression on AND / OR /
XOR, MLPs on XOR by hidden width and activation, deep linear nets on XOR."""
