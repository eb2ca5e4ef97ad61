"""Linear regions of relu nets (C12): exact counts of Montufar et al.'s folding construction
against the paper's lower bound and published upper bounds, the lecture's formula as printed
next to them, the counter checked against independent facts (Zaslavsky, dense grids, the tent
map), and what random and trained nets reach at a fixed number of units as depth grows."""
