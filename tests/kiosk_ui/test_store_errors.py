"""When the kiosk cannot save, the visitor is told kindly to fetch staff, and their story stays on screen."""

import shutil

import pytest

pytestmark = pytest.mark.ui

STAFF_MESSAGE = (
    "Cette borne ne peut pas enregistrer pour le moment. Merci de prévenir un membre du personnel. "
    "Votre histoire est toujours là."
)


def lose_the_data_folder(folder):
    """A real failure, even for root: the store's folder is gone and a plain file sits in its place
    (as when a USB disk holding it is unplugged and the mount point is left behind)."""
    shutil.rmtree(folder)
    folder.write_text("not a folder")


def test_a_store_that_cannot_write_shows_the_staff_message_and_keeps_the_story(visitor, settings):
    visitor.walks_to("review", story="Mon histoire du canal.", author="Camille")
    lose_the_data_folder(settings.data_dir)

    visitor.taps(visitor.screen.ids.submit)

    assert visitor.app.current == "review"
    assert visitor.screen.ids.message.text == STAFF_MESSAGE
    assert not visitor.screen.ids.submit.disabled
    assert visitor.app.draft.text == "Mon histoire du canal."
    assert visitor.app.draft.author_name == "Camille"


def test_once_staff_fix_the_disk_the_same_story_is_stored_once(visitor, settings):
    visitor.walks_to("review", story="Mon histoire du canal.")
    lose_the_data_folder(settings.data_dir)
    visitor.taps(visitor.screen.ids.submit)
    draft_uuid = visitor.app.draft.uuid

    settings.data_dir.unlink()
    settings.data_dir.mkdir()
    visitor.taps(visitor.screen.ids.submit)

    assert visitor.app.current == "thanks"
    [stored] = visitor.store.pending()
    assert stored.uuid == draft_uuid
    assert stored.text == "Mon histoire du canal."
