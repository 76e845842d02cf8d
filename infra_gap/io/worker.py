"""Entry point of the isolated worker process: ``python -m infra_gap.io.worker``."""

from infra_gap.io.isolation import worker_main

if __name__ == "__main__":
    worker_main()
