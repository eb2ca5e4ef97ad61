"""The lecture's conclusion (C19): MLPs trained by SGD with backpropagation learn these
functions. Summarised from the other families' trained results (XOR, Playground, 1-D
targets), each part against a bar fixed in the config before the run."""
