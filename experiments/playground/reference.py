"""Numbers from outside our code: the lecture's screenshots and TensorFlow Playground's own code
(shared/reference/playground.md: section 6 for two of its seeds, section 5 for the deterministic
parity scenario). Our port is compared with them."""

# The lecture's screenshots: spiral, [4, 2], lr 0.03, batch 10, 50 %, noise 0, X1 and X2
SLIDE_HIDDEN = [4, 2]
LECTURE = {
    "tanh": {"epoch": 2536, "train": 0.302, "test": 0.416},
    "relu": {"epoch": 1968, "train": 0.321, "test": 0.340},
}

# Playground's own code on two of its seeds (section 6): (seed, activation, epoch, train loss,
# test loss) for the spiral with [4, 2]
PLAYGROUND_SEEDS = [
    ("0.26288", "tanh", 0, 0.509319, 0.520945),
    ("0.26288", "tanh", 100, 0.466607, 0.485242),
    ("0.26288", "tanh", 1968, 0.299567, 0.402244),
    ("0.26288", "tanh", 2536, 0.295677, 0.408977),
    ("0.26288", "relu", 0, 0.505793, 0.506962),
    ("0.26288", "relu", 100, 0.449479, 0.472177),
    ("0.26288", "relu", 1968, 0.365152, 0.436708),
    ("0.26288", "relu", 2536, 0.365856, 0.437238),
    ("0.87646", "tanh", 0, 0.508295, 0.496014),
    ("0.87646", "tanh", 100, 0.476163, 0.472901),
    ("0.87646", "tanh", 1968, 0.327209, 0.485809),
    ("0.87646", "tanh", 2536, 0.324336, 0.487160),
    ("0.87646", "relu", 0, 0.515839, 0.504156),
    ("0.87646", "relu", 100, 0.475308, 0.473367),
    ("0.87646", "relu", 1968, 0.314357, 0.338957),
    ("0.87646", "relu", 2536, 0.312401, 0.340032),
]

# The parity scenario (section 5): the noise-0 spiral in generation order, training list
# d[2k], d[250 + 2k] and test list d[2k + 1], d[251 + 2k] for k = 0..124; [2, 4, 2, 1] with
# these 18 weights in link order (W1 4x2, W2 2x4, W3 1x2), every bias 0.1, lr 0.03.
PARITY_WEIGHTS = [0.118, -0.2639, 0.3541, -0.0279, -0.4098, 0.2082, -0.1738, 0.4443, 0.0623,
                  -0.3197, 0.2984, -0.0836, -0.4656, 0.1525, -0.2295, 0.3885, 0.0066, -0.3754]  # fmt: skip
PARITY_LOSSES = {  # (hidden activation, batch size) -> epoch -> (train loss, test loss), Playground's nn.ts
    ("tanh", 10): {
        0: (0.483697538395, 0.483885513779),
        1: (0.480425485068, 0.480587282877),
        2: (0.479211247247, 0.479335359030),
        10: (0.476310356105, 0.476131674285),
        100: (0.476776361520, 0.476179594531),
        1000: (0.472573888293, 0.472314613598),
    },
    ("relu", 10): {
        0: (0.488048080372, 0.488010890638),
        1: (0.484216464193, 0.484192034688),
        2: (0.482097207903, 0.482027909206),
        10: (0.475495351992, 0.475381665310),
        100: (0.473425946293, 0.473076105734),
        1000: (0.432152166110, 0.430489071538),
    },
    ("tanh", 30): {  # 250 % 30 = 10 leftover points join the next epoch's first batch
        0: (0.483697538395, 0.483885513779),
        1: (0.482120285317, 0.482368374896),
        2: (0.481066758835, 0.481338176123),
        10: (0.477941721241, 0.478349069762),
        100: (0.474470553654, 0.474849532610),
        1000: (0.471447113073, 0.472139509982),
    },
}
PARITY_LR = 0.03
