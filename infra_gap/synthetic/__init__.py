"""Stage 3, synthetic data: the deterministic North Sumatra demo built on real boundaries."""
