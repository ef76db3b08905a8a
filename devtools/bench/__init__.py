"""The stages of `manage.py bench_data` (devtools/management/commands/bench_data.py): the organisation
tree, the trainees, the daily lessons and the ledger, the projections. Each stage skips what exists."""
