"""What classroom shows on pages that belong to other apps (registered in ClassroomConfig.ready()):
the trainee's coming sessions on 我的学习, the sessions held at a teaching base, 评教 on a course page."""

from classroom import selectors

ME_LIMIT = 5


def me_sessions(request) -> dict | None:
    sessions = selectors.sessions_for_trainee(request.user, upcoming_only=True, limit=ME_LIMIT)
    if not sessions:
        return None
    return {"sessions": sessions}


def base_sessions(request, page) -> dict | None:
    held = selectors.sessions_at_base(page.pk)
    return held if held["upcoming"] or held["past"] else None


def course_evaluation(request, page) -> dict | None:
    state = selectors.course_evaluation_state(request.user, page.pk)
    return None if state is None else {**state, "course": page}
