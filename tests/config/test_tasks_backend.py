"""Wagtail's own background work goes to Celery after commit, never inside the editor's request."""

from unittest import mock

import pytest
from django.test import override_settings
from kombu.exceptions import OperationalError

from cms import selectors
from cms.models import CaseLibraryPage, CasePage
from cms.tasks import run_django_task

pytestmark = pytest.mark.django_db

CELERY_TASKS = {"default": {"BACKEND": "config.django_tasks_celery.CeleryBackend"}}


def _new_case():
    library = CaseLibraryPage.objects.get()
    case = CasePage(title="楼道议事会：小事不出楼", slug="loudao-yishi", region="吉林省长春市朝阳区",
                    organization_name="红旗社区", background="老楼道堆物多。", practice="每月楼道议事。", outcome="楼道畅通。")
    library.add_child(instance=case)
    case.save_revision().publish()
    return case


def _found(word):
    results, _ = selectors.search_pages(word)
    return [page.title for page in results]


@override_settings(TASKS=CELERY_TASKS)
def test_saving_a_page_queues_indexing_on_celery_after_commit(django_capture_on_commit_callbacks):
    with mock.patch.object(run_django_task, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _new_case()
        assert delay.call_count == 0, "nothing is sent before the transaction commits"
        for callback in callbacks:
            callback()
    sent = [call.args for call in delay.call_args_list]
    assert any(path.endswith("insert_or_update_object_task") for path, _, _ in sent)
    assert "楼道议事会：小事不出楼" not in _found("楼道议事"), "the request itself did not index the page"

    for args in sent:  # what the worker does with each message
        run_django_task.apply(args=args).get()
    assert "楼道议事会：小事不出楼" in _found("楼道议事")


@override_settings(TASKS=CELERY_TASKS)
def test_a_broker_outage_does_not_fail_the_editors_save(django_capture_on_commit_callbacks):
    with mock.patch.object(run_django_task, "delay", side_effect=OperationalError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            case = _new_case()
    assert CasePage.objects.get(pk=case.pk).live
