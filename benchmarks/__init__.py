"""Performance harness of the MLP core against PyTorch (CPU) and scikit-learn.

Run `python -m benchmarks` (see benchmarks/run.py); it writes benchmarks/RESULTS.md.
Not part of the test suite: nothing here is imported by mlp/ or experiments/.
"""
