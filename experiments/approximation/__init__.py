"""Capacity of one hidden layer: width vs approximation error on 1-D targets, trained and by
explicit construction, with fitted rates next to the theory's (C10, universal approximation);
and depth separation on the L-fold tent map, exact for a deep width-2 relu net while shallow
nets need a number of units growing like 2^L (C11)."""
