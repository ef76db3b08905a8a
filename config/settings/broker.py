"""The embedded broker's options (kombu's file-system transport): one folder per role, polled every 0.1 s.
Shared by `make run` (var/celery-broker) and the tests that start a worker on it (their own folder)."""

from pathlib import Path


def filesystem_broker_options(folder: Path) -> dict:
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
