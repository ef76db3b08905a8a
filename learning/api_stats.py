"""Statistics API for provincial platforms (统计接口): organisation summaries and today's non-finishers."""

from ninja import Router

router = Router(tags=["统计"])
