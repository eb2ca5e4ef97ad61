"""The lecture's exact tables: Table 3.6 (C01) and Figure 3.11's threshold network for XOR (C03)."""
