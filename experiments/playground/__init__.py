"""TensorFlow Playground reproduced over many seeds (C13): the lecture's spiral screenshots
([4, 2] tanh and relu), one hidden layer on the spiral, four relu layers, and the simple
targets, each configuration trained as one ensemble of seeds with Playground's exact semantics
(`port`), summarised as seed distributions (`summary`), turned into claim rows (`verdicts`)
and figures (`figures`)."""
