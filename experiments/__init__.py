"""Experiment families: parameters in, DataFrames and figures out, one module each."""
