"""``python -m infra_gap`` runs the CLI."""

from infra_gap.cli import main

main()
