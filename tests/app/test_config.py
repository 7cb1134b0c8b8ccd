import os
import subprocess
import sys

from conftest import PROJECT_ROOT

from hoidap.app.config import OFFLINE_ENVIRONMENT, load_settings


def test_importing_the_config_changes_no_environment():
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENVIRONMENT}
    code = "import os, app.config; print(sorted(set(os.environ) & set(app.config.OFFLINE_ENVIRONMENT)))"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_loading_settings_sets_the_offline_defaults_without_overriding_the_user(monkeypatch):
    for name in OFFLINE_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # the user's choice wins
    load_settings()
    assert os.environ["HF_HUB_OFFLINE"] == "0"
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"


def test_file_size_limit_in_bytes(tmp_path):
    assert load_settings(data_dir=tmp_path, max_file_mb=0.5).max_file_bytes == 500_000
