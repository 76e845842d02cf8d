"""``python -m infra_gap`` runs the CLI."""

from infra_gap.cli.main import run

run()
