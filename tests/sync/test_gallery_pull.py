"""Each exhibit's published stories come to the kiosk with their thumbnails; withdrawn ones leave at the next pull."""

from sync.gallery import GalleryCache

from .conftest import Kiosk, story, story_with_media


def approve_all():
    from hub.contributions.models import Contribution
    from hub.contributions.moderation import approve

    for contribution in Contribution.objects.pending():
        approve(contribution, None)


def withdraw(uuid):
    from hub.contributions.models import Contribution, Status

    Contribution.objects.filter(uuid=uuid).update(status=Status.REJECTED, reject_reason="Asked by the visitor")


def test_published_stories_and_their_thumbnails_reach_the_kiosk(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1])
    with_photo, words_only = kiosk.submit(story_with_media(kiosk.store, seed=1, text="Alice's loom", photo_side=96),
                                          story("Bob's harvest"))
    kept_private = kiosk.submit(story("Only for the archive", consent="archive", licence=None))[0]
    kiosk.agent.run_once()
    approve_all()

    assert kiosk.agent.pull_gallery()

    shown = kiosk.agent.gallery.load("la-tapisserie")
    assert sorted(item.id for item in shown) == sorted([with_photo.uuid, words_only.uuid])
    assert kept_private.uuid not in [item.id for item in shown]
    photo_story = next(item for item in shown if item.id == with_photo.uuid)
    assert photo_story.text == "Alice's loom"
    assert photo_story.recordings == 1
    [thumbnail] = photo_story.thumbnails
    assert thumbnail.read_bytes()[:3] == b"\xff\xd8\xff"
    assert kiosk.status()["last_gallery_pull"] is not None


def test_a_withdrawn_story_and_its_thumbnail_disappear_at_the_next_pull(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1])
    [withdrawn] = kiosk.submit(story_with_media(kiosk.store, seed=2, photo_side=96))
    kiosk.agent.run_once()
    approve_all()
    kiosk.agent.pull_gallery()
    thumbnails = list((tmp_path / "gallery" / "thumbs").iterdir())
    assert len(thumbnails) == 1

    withdraw(withdrawn.uuid)
    kiosk.agent.pull_gallery()

    assert kiosk.agent.gallery.load() == []
    assert list((tmp_path / "gallery" / "thumbs").iterdir()) == []


def gallery_bytes(folder) -> int:
    return sum(path.stat().st_size for path in (folder / "gallery").rglob("*") if path.is_file())


def test_the_gallery_keeps_the_newest_stories_within_its_disk_budget(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1])
    kiosk.submit(*[story_with_media(kiosk.store, seed=n, photo_side=256) for n in range(4)])
    kiosk.agent.run_once()
    approve_all()
    kiosk.agent.pull_gallery()
    newest = [item.id for item in kiosk.agent.gallery.load()]
    budget = gallery_bytes(tmp_path) * 6 // 10
    kiosk.agent.gallery = GalleryCache(tmp_path, budget_bytes=budget)

    kiosk.agent.pull_gallery()

    kept = [item.id for item in kiosk.agent.gallery.load()]
    assert 1 <= len(kept) < 4
    assert kept == newest[: len(kept)]
    assert gallery_bytes(tmp_path) <= budget
