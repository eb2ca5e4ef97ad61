"""A NumPy MLP core in the notation of the lecture "Neural Networks I"."""
