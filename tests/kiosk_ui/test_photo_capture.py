"""A visitor answers with a photo: live picture, 3-2-1, retake or keep; the kept photo is upright and anonymous."""

import io

import pytest
from PIL import Image

from tests.capture.pictures import RED

pytestmark = pytest.mark.ui


@pytest.fixture
def capture(store, test_camera):
    from kiosk.ui.capture import CaptureDesk

    return CaptureDesk(store, camera=test_camera)


def is_red(pixel) -> bool:
    return all(abs(value - red) < 40 for value, red in zip(pixel, RED, strict=False))


def takes_a_photo(visitor) -> None:
    """On the answer screen: Photo, wait for the live picture, Take, and the 3-2-1."""
    visitor.taps(visitor.screen.cards()["photo"])
    assert visitor.app.current == "photo"
    photo = visitor.screen
    visitor.waits_for(lambda: photo.state == "preview" and photo.picture is not None, "live picture")
    visitor.taps(photo.ids.take)
    assert photo.ids.countdown.text == "3"
    visitor.waits(1)
    assert photo.ids.countdown.text == "2"
    visitor.waits(1)
    assert photo.ids.countdown.text == "1"
    visitor.waits(1.1)
    visitor.waits_for(lambda: photo.state == "taken", "photo taken")


def test_camille_answers_with_a_photo_only_and_the_kiosk_keeps_it_upright_without_exif(visitor):
    visitor.walks_to("prompt")
    assert visitor.screen.ids.answer.text.startswith("Répondre")
    visitor.taps(visitor.screen.ids.answer)
    assert visitor.app.current == "answer"

    takes_a_photo(visitor)
    photo = visitor.screen
    assert photo.picture.size[1] > photo.picture.size[0], "the sideways phone photo is shown upright"
    visitor.taps(photo.ids.keep)
    visitor.waits_for(lambda: visitor.app.current == "answer", "return to the answer screen")

    card = visitor.screen.cards()["photo"]
    assert card.done and card.status == "Photo gardée · touchez pour la revoir"
    visitor.taps(visitor.screen.ids.next)
    visitor.walks_to("review", author="Camille")
    review = visitor.screen
    assert review.ids.photo_row.parent is not None and review.ids.photo_row.ids.thumbnail.texture is not None
    assert review.ids.story_row.parent is None, "no text was written, so there is no text to review"
    visitor.taps(review.ids.submit)

    assert visitor.app.current == "thanks"
    [stored] = visitor.store.pending()
    assert stored.text == "" and stored.author_name == "Camille"
    [media] = stored.media
    assert (media.kind, media.type) == ("photo", "image/jpeg")
    kept = visitor.store.media_path(media.sha256).read_bytes()
    image = Image.open(io.BytesIO(kept))
    assert image.size == (480, 640), "turned upright"
    assert is_red(image.getpixel((image.width - 10, 10))), "the red corner is at the top right, as the phone saw it"
    assert len(image.getexif()) == 0 and b"Exif" not in kept and b"Alice" not in kept


def test_a_photo_with_a_written_story_keeps_both(visitor):
    visitor.walks_to("answer")
    takes_a_photo(visitor)
    visitor.taps(visitor.screen.ids.keep)
    visitor.waits_for(lambda: visitor.app.current == "answer", "return to the answer screen")

    visitor.taps(visitor.screen.cards()["write"])
    visitor.types("Le jour de la fête des moissons.")
    visitor.taps(visitor.screen.ids.next)
    assert visitor.app.current == "answer"
    assert visitor.screen.cards()["write"].done and visitor.screen.cards()["photo"].done
    visitor.walks_to("thanks")

    [stored] = visitor.store.pending()
    assert stored.text == "Le jour de la fête des moissons."
    assert [media.kind for media in stored.media] == ["photo"]


def test_retake_goes_back_to_the_live_picture_and_keeps_nothing(visitor):
    visitor.walks_to("answer")
    takes_a_photo(visitor)

    visitor.taps(visitor.screen.ids.retake)

    assert visitor.screen.state == "preview"
    visitor.taps(visitor.screen.ids.bar.ids.back)
    assert visitor.app.current == "answer"
    assert not visitor.screen.cards()["photo"].done
    assert visitor.app.draft.media == []


def test_a_kept_photo_can_be_retaken_from_the_answer_screen(visitor):
    visitor.walks_to("answer")
    takes_a_photo(visitor)
    visitor.taps(visitor.screen.ids.keep)
    visitor.waits_for(lambda: visitor.app.current == "answer", "return to the answer screen")

    visitor.taps(visitor.screen.cards()["photo"])
    assert visitor.screen.state == "kept"
    visitor.taps(visitor.screen.ids.retake)

    assert visitor.app.draft.media == []
    visitor.waits_for(lambda: visitor.screen.state == "preview", "live picture again")


def test_a_camera_that_stops_answering_is_explained_and_the_story_can_still_be_written(visitor, test_camera):
    visitor.walks_to("answer")
    for image in test_camera.images:
        image.unlink()

    visitor.taps(visitor.screen.cards()["photo"])
    visitor.waits_for(lambda: visitor.screen.state == "problem", "explanation")

    assert visitor.screen.ids.message.text.startswith("L'appareil photo ne répond pas")
    visitor.taps(visitor.screen.ids.bar.ids.back)
    visitor.walks_to("thanks", story="Tant pis pour la photo.")
    assert visitor.store.pending()[0].media == ()
