"""Where SIKLA keeps its keys and files (sikla.settings.DATA_DIR)."""

import os
import subprocess
import sys
from pathlib import Path


def _data_dir(cwd: Path, value: str | None) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "SIKLA_DATA_DIR"}
    if value is not None:
        env["SIKLA_DATA_DIR"] = value
    env["DJANGO_SETTINGS_MODULE"] = "sikla.settings"
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "from django.conf import settings; print(settings.DATA_DIR)"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def test_an_empty_setting_is_the_default_never_the_current_folder(tmp_path):
    # A checkout's own folder would get the secret and protection keys beside the code.
    assert _data_dir(tmp_path, "") == (tmp_path / "var").resolve()
    assert _data_dir(tmp_path, None) == (tmp_path / "var").resolve()
    assert _data_dir(tmp_path, str(tmp_path / "data")) == (tmp_path / "data").resolve()
