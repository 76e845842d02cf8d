"""Stage 5, national scale: partitioned workloads, their kernels, and the Dask or local engine."""
