"""The public surface of `classroom` for other apps. Nothing below it may import it (it registers its
panels on 我的学习, teaching-base and course pages itself, in `ready()`); stats may read these."""

from classroom.models import Attendance, TrainingSession

__all__ = ["Attendance", "TrainingSession"]
