"""Uploading through the dashboard's callback as the page does: submit, then ask until done."""

from __future__ import annotations

import time
from typing import Any

from dashboard.callbacks import upload
from dashboard.data import DashboardData

WAIT_SECONDS = 180.0  # generous: the writer is a process of its own on a loaded machine


def upload_and_wait(
    data: DashboardData, contents: object, filename: object, version: object
) -> tuple[str, str, Any]:
    """(message, class, data version) of an upload once it is in the store or refused."""
    answer = upload.handle_upload(data, contents, filename, version)
    deadline = time.monotonic() + WAIT_SECONDS
    while not answer[4]:  # polling still on: the upload is queued or being extracted
        assert time.monotonic() < deadline, f"the upload did not finish: {answer[0]}"
        time.sleep(0.2)
        answer = upload.poll_upload(data, answer[3], version)
    return answer[0], answer[1], answer[2]
