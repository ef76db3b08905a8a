"""Figures that apps above learning add to a trainee's summary — 我的学习 (/me/) and
`GET /api/v1/me/summary` — without learning importing them: growth adds the streak (连续学习)."""

from collections.abc import Callable

_figures: dict[str, Callable] = {}


def register_summary_figure(name: str, figure: Callable) -> None:
    """`figure(user)` returns the value shown under `name` (called in `ready()`)."""
    _figures[name] = figure


def summary_figures(user, **defaults) -> dict:
    """Every registered figure for `user`; `defaults` for those no installed app provides."""
    return {**defaults, **{name: figure(user) for name, figure in _figures.items()}}
