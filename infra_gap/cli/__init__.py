"""The ``infra-gap`` command line: a thin front end over the library, one module per command group.

:mod:`infra_gap.cli.main` is the entry point; each command loads its heavy modules only when run.
"""
