"""After a submit the kiosk asks the sync agent to deliver now rather than at its next round."""

import pytest

pytestmark = pytest.mark.ui


@pytest.fixture
def agent(sleeping_agent):
    return sleeping_agent


def test_the_sync_agent_is_woken_once_the_story_is_stored(visitor, agent):
    visitor.walks_to("review")
    assert agent.woken == 0

    visitor.taps(visitor.screen.ids.submit)

    assert agent.woken == 1
    assert len(visitor.store.pending()) == 1


def test_the_sync_agent_is_not_woken_when_nothing_was_stored(visitor, agent):
    visitor.walks_to("write", story="")
    visitor.taps(visitor.screen.ids.next)

    assert agent.woken == 0
