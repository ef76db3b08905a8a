import pytest
import time_machine

from tests.classroom.factories import NOW


@pytest.fixture
def clock():
    """The clock stopped at factories.NOW; `clock.shift(seconds)` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
