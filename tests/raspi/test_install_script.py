"""The Raspberry Pi install script lays out its files where systemd and staff expect them."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "raspi" / "install.sh"


def run_install(role: str, target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), role, "--root", str(target)], capture_output=True, text=True)


def test_a_kiosk_install_places_the_unit_and_the_editable_site_settings(tmp_path):
    result = run_install("kiosk", tmp_path)
    assert result.returncode == 0, result.stderr
    unit = (tmp_path / "etc/systemd/system/agora-kiosk.service").read_text()
    assert "ExecStart=/opt/agora/venv/bin/agora-kiosk run --fullscreen" in unit
    assert "Restart=always" in unit
    assert "AGORA_KIOSK_MUSEUM_NAME" in (tmp_path / "boot/firmware/agora.env").read_text()


def test_rerunning_the_install_keeps_the_staff_edited_settings(tmp_path):
    run_install("kiosk", tmp_path)
    settings = tmp_path / "boot/firmware/agora.env"
    settings.write_text("AGORA_KIOSK_MUSEUM_NAME=Médiathèque du Port\n")
    assert run_install("kiosk", tmp_path).returncode == 0
    assert settings.read_text() == "AGORA_KIOSK_MUSEUM_NAME=Médiathèque du Port\n"


def test_the_code_is_installed_with_its_fonts_pictures_and_translations(tmp_path):
    assert run_install("kiosk", tmp_path).returncode == 0
    source = tmp_path / "opt/agora/src"
    assert (source / "kiosk/ui/strings.py").is_file()
    assert (source / "assets/fonts/Lato-Regular.ttf").is_file()
    assert (source / "assets/translations/fr/LC_MESSAGES/kiosk.mo").is_file()
    assert (source / "assets/demo/config.json").is_file()
    assert not (source / ".git").exists() and not (source / ".venv").exists() and not (source / "var").exists()


def test_a_rerun_replaces_the_installed_code_whole(tmp_path):
    run_install("hub", tmp_path)
    leftover = tmp_path / "opt/agora/src/hub/removed_since.py"
    leftover.write_text("")
    assert run_install("hub", tmp_path).returncode == 0
    assert not leftover.exists()
    assert (tmp_path / "opt/agora/src/hub/settings.py").is_file()


def test_a_hub_install_places_its_unit(tmp_path):
    assert run_install("hub", tmp_path).returncode == 0
    unit = (tmp_path / "etc/systemd/system/agora-hub.service").read_text()
    assert "agora-hub serve" in unit


def test_an_unknown_role_is_refused_with_the_usage(tmp_path):
    result = run_install("toaster", tmp_path)
    assert result.returncode == 2
    assert "usage:" in result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("program", ["agora-kiosk", "agora-hub"])
def test_systemd_accepts_the_units(tmp_path, program):
    unit = f"{program}.service"
    # systemd-analyze checks that ExecStart exists, so point it at a real program instead of the Pi's venv.
    text = (ROOT / "raspi/files/etc/systemd/system" / unit).read_text()
    (tmp_path / unit).write_text(text.replace(f"/opt/agora/venv/bin/{program}", "/bin/true"))
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / unit)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "agora" not in result.stderr.lower(), result.stderr
