"""The kiosk shows the hub's last complete exhibit list, or the bundled demo list until it has one."""

import json
import logging

import pytest

from kiosk.catalogue import DEMO_DIR, CatalogueCache, CatalogueError

JPEG = b"\xff\xd8\xff\xe0 tapestry"
PNG = b"\x89PNG radio"


def hub_config(title="La tapisserie des moissons", image_url="http://hub/media/exhibits/la-tapisserie.jpg"):
    return {
        "museum": {"name": "Musée du Canal"},
        "languages": ["fr", "en"],
        "exhibits": [
            {"slug": "la-tapisserie", "title": {"fr": title, "en": "The harvest tapestry"},
             "description": {"fr": "Tissée vers 1890.", "en": "Woven around 1890."},
             "image_url": image_url, "image_credit": "Photo : Alice",
             "prompts": [{"id": "souvenir", "text": {"fr": "Quel souvenir ?", "en": "Which memory?"}}]},
            {"slug": "le-poste-radio", "title": {"fr": "Le poste de radio", "en": "The radio set"},
             "description": {"fr": "", "en": ""}, "image_url": "http://hub/media/exhibits/radio",
             "image_credit": "",
             "prompts": [{"id": "voix", "text": {"fr": "Quelle voix ?", "en": "Which voice?"}}]},
        ],
    }


@pytest.fixture
def demo(tmp_path):
    folder = tmp_path / "demo"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "la-carte-du-canal.jpg").write_bytes(JPEG)
    config = {"museum": {"name": "Musée de la Vallée"}, "languages": ["fr", "en"], "exhibits": [
        {"slug": "la-carte-du-canal", "title": {"fr": "La carte du canal", "en": "The canal map"},
         "description": {"fr": "", "en": ""}, "image_url": "la-carte-du-canal.jpg", "image_credit": "",
         "prompts": [{"id": "lieu", "text": {"fr": "Quel lieu ?", "en": "Which place?"}}]}]}
    (folder / "config.json").write_text(json.dumps(config))
    return folder


@pytest.fixture
def hall(tmp_path, demo):
    return CatalogueCache(tmp_path / "hall", demo_dir=demo)


def test_before_the_first_pull_the_demo_list_is_shown(hall, demo):
    catalogue = hall.load()

    assert catalogue.source == "demo"
    assert catalogue.museum_name == "Musée de la Vallée"
    assert [e.slug for e in catalogue.exhibits] == ["la-carte-du-canal"]
    assert catalogue.exhibit("la-carte-du-canal").image == demo / "images" / "la-carte-du-canal.jpg"
    assert hall.revision() is None


def test_the_bundled_demo_list_is_usable():
    catalogue = CatalogueCache(DEMO_DIR.parent / "no-kiosk-data-here").load()

    assert catalogue.source == "demo"
    assert catalogue.exhibits
    for exhibit in catalogue.exhibits:
        assert exhibit.prompts
        assert exhibit.image is None or exhibit.image.is_file()


def test_a_pulled_list_replaces_the_demo_with_its_pictures(hall):
    hall.replace(hub_config(), {"la-tapisserie": JPEG, "le-poste-radio": PNG})

    catalogue = hall.load()

    assert catalogue.source == "hub"
    assert catalogue.museum_name == "Musée du Canal"
    tapestry = catalogue.exhibit("la-tapisserie")
    assert tapestry.title["fr"] == "La tapisserie des moissons"
    assert tapestry.image.read_bytes() == JPEG
    assert tapestry.image.suffix == ".jpg"
    assert tapestry.image_credit == "Photo : Alice"
    assert tapestry.prompt("souvenir").text["en"] == "Which memory?"
    assert catalogue.exhibit("le-poste-radio").image.suffix == ".png"
    assert catalogue.exhibit("la-carte-du-canal") is None
    assert hall.revision() is not None


def test_a_new_pull_replaces_the_old_one_and_drops_unused_pictures(hall):
    hall.replace(hub_config(), {"la-tapisserie": JPEG, "le-poste-radio": PNG})
    hall.replace(hub_config(title="Nouvelle"), {"la-tapisserie": JPEG + b"v2", "le-poste-radio": PNG})
    hall.replace(hub_config(title="Troisième"), {"la-tapisserie": JPEG + b"v3", "le-poste-radio": PNG})

    catalogue = hall.load()

    assert catalogue.exhibit("la-tapisserie").title["fr"] == "Troisième"
    assert catalogue.exhibit("la-tapisserie").image.read_bytes() == JPEG + b"v3"
    # The current and the previous copy keep their pictures; older ones are gone.
    assert len(list((hall.folder / "images").iterdir())) == 3


def test_an_invalid_download_never_replaces_a_good_copy(hall):
    hall.replace(hub_config(), {"la-tapisserie": JPEG})
    before = (hall.folder / "config.json").read_bytes()
    broken = hub_config()
    broken["exhibits"][0]["slug"] = "../../etc"

    with pytest.raises(CatalogueError, match="slug"):
        hall.replace(broken, {})

    assert (hall.folder / "config.json").read_bytes() == before
    assert hall.load().exhibit("la-tapisserie").image.read_bytes() == JPEG


def test_a_corrupt_copy_falls_back_to_the_previous_hub_copy(hall, caplog):
    hall.replace(hub_config(title="Première"), {"la-tapisserie": JPEG})
    hall.replace(hub_config(title="Seconde"), {"la-tapisserie": JPEG + b"v2"})
    (hall.folder / "config.json").write_text('{"museum": {"name": "Musée du Ca')

    with caplog.at_level(logging.ERROR):
        catalogue = hall.load()

    assert catalogue.source == "hub"
    assert catalogue.exhibit("la-tapisserie").title["fr"] == "Première"
    assert catalogue.exhibit("la-tapisserie").image.read_bytes() == JPEG
    assert "not readable JSON" in caplog.text


def test_a_corrupt_only_copy_falls_back_to_the_demo_list(hall, caplog):
    hall.replace(hub_config(), {"la-tapisserie": JPEG})
    (hall.folder / "config.json").write_text('{"museum": "no name", "languages": [], "exhibits": []}')

    with caplog.at_level(logging.ERROR):
        catalogue = hall.load()

    assert catalogue.source == "demo"
    assert "museum" in caplog.text


def test_a_missing_picture_shows_the_exhibit_without_one(hall):
    hall.replace(hub_config(), {"la-tapisserie": JPEG})
    hall.load().exhibit("la-tapisserie").image.unlink()

    catalogue = hall.load()

    assert catalogue.source == "hub"
    assert catalogue.exhibit("la-tapisserie").image is None


def test_an_exhibit_without_prompts_is_not_offered(hall):
    config = hub_config()
    config["exhibits"][1]["prompts"] = []

    hall.replace(config, {})

    assert [e.slug for e in hall.load().exhibits] == ["la-tapisserie"]


def test_an_unchanged_picture_is_found_in_the_cache(hall):
    hall.replace(hub_config(), {"la-tapisserie": JPEG})

    assert hall.cached_image("http://hub/media/exhibits/la-tapisserie.jpg") == JPEG
    assert hall.cached_image("http://hub/media/exhibits/other.jpg") is None


def test_a_broken_demo_list_is_a_loud_error(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "config.json").write_text("[]")

    with pytest.raises(CatalogueError, match="bundled demo list"):
        CatalogueCache(tmp_path / "hall", demo_dir=tmp_path / "demo").load()
