"""Stage 3, siting: candidate tower sites, the covering problem, its solvers, whole-life costs."""
