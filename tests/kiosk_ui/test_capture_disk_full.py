"""With the kiosk's disk nearly full, photos and recordings pause kindly and stories can still be written."""

import pytest

from kiosk.store import Store

pytestmark = pytest.mark.ui

MB = 1024 * 1024
NO_ROOM = ("Cette borne ne peut pas prendre de photos ni d'enregistrements pour le moment. "
           "Vous pouvez toujours écrire votre histoire.")


class Disk:
    """The free space the "Hall" kiosk's store sees (the store's own reserve is 200 MB)."""

    def __init__(self):
        self.free = 10 * MB

    def __call__(self, _folder) -> int:
        return self.free


@pytest.fixture
def disk():
    return Disk()


@pytest.fixture
def store(settings, disk):
    store = Store(settings.data_dir, free_space=disk)
    yield store
    store.close()


@pytest.fixture
def capture(store, test_camera):
    from kiosk.ui.capture import CaptureDesk

    return CaptureDesk(store, camera=test_camera)


def test_with_a_full_disk_the_visitor_is_told_kindly_and_the_story_is_still_stored(visitor):
    visitor.walks_to("answer")

    assert visitor.screen.ids.hint.text == NO_ROOM
    photo = visitor.screen.cards()["photo"]
    assert not photo.available and photo.status == "En pause pour le moment : vous pouvez écrire"
    visitor.taps(photo)
    assert visitor.app.current == "answer"

    visitor.walks_to("thanks", story="Le disque est plein, mais mon histoire passe.")
    [stored] = visitor.store.pending()
    assert stored.text == "Le disque est plein, mais mon histoire passe." and stored.media == ()


def test_a_disk_that_fills_up_while_the_visitor_chooses_stops_the_photo_before_it_starts(visitor, disk):
    disk.free = 500 * MB
    visitor.walks_to("answer")
    assert visitor.screen.cards()["photo"].available

    disk.free = 10 * MB
    visitor.taps(visitor.screen.cards()["photo"])

    assert visitor.app.current == "answer"
    assert visitor.screen.ids.hint.text == NO_ROOM
    assert not visitor.screen.cards()["photo"].available
