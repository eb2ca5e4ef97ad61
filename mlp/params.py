"""Parameter lists as flat vectors, and ensembles as stacks of members.

A parameter list is [(W1, b1), ..., (W_{L+1}, b_{L+1})] with a leading ensemble axis M on
every array (mlp.network's layout). Optimisers and finite differences want one vector per
member; experiments that build nets one by one want to stack them; both are here once.
"""

import numpy as np


def flatten(params) -> np.ndarray:
    """(M, P): member m's parameters W1, b1, W2, b2, ... raveled in that order."""
    return np.concatenate([a.reshape(a.shape[0], -1) for layer in params for a in layer], axis=1)


def unflatten(theta: np.ndarray, like) -> list[tuple[np.ndarray, np.ndarray]]:
    """The inverse of `flatten`: (M, P) -> a parameter list shaped like `like` (any M)."""
    out, i = [], 0
    for W, b in like:
        n_W, n_b = W[0].size, b[0].size
        M = theta.shape[0]
        out.append(
            (theta[:, i : i + n_W].reshape(M, *W.shape[1:]), theta[:, i + n_W : i + n_W + n_b].reshape(M, *b.shape[1:]))
        )
        i += n_W + n_b
    if i != theta.shape[1]:
        raise ValueError(f"theta has {theta.shape[1]} parameters per member, the layout holds {i}")
    return out


def stack(members) -> list[tuple[np.ndarray, np.ndarray]]:
    """Parameter lists of single nets (no ensemble axis) -> one ensemble with M = len(members)."""
    return [
        (np.stack([m[l][0] for m in members]), np.stack([m[l][1] for m in members])) for l in range(len(members[0]))
    ]


def pick(params, members) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ensemble of the given members (an index array, a boolean mask or a slice)."""
    return [(W[members], b[members]) for W, b in params]
