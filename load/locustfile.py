"""Locust users of `make load` (load/run.py starts this with the regions it prepared).

Each user works in one region (round robin over LOAD_REGIONS, so 50 users cover 20 regions),
signed in with that region's API token, mixing reads (who am I, a 20-row account list, the
audit log) and writes (API tokens, file uploads, invitations). Every write the server
acknowledged is appended to LOAD_ACKS with its region and key, for run.py to find in the
database afterwards. The run stops at LOAD_MAX_REQUESTS requests if the time limit is not first.
"""

import itertools
import json
import os
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

REGIONS: list[dict[str, str]] = json.loads(Path(os.environ["LOAD_REGIONS"]).read_text())
ACKS_PATH = Path(os.environ["LOAD_ACKS"])
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "200000"))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

_acks: list[dict[str, str]] = []
_next_region = itertools.count()


class RegionStaff(HttpUser):
    wait_time = between(0.05, 0.25)

    def on_start(self) -> None:
        self.region = REGIONS[next(_next_region) % len(REGIONS)]
        self.client.headers.update(
            {"Host": self.region["host"], "Authorization": f"Token {self.region['token']}"}
        )

    def _ack(self, kind: str, key: str, response: Any) -> None:
        if response.status_code == 201:
            _acks.append(
                {
                    "schema": self.region["schema"],
                    "kind": kind,
                    "key": key,
                    "id": str(response.json()["id"]),
                }
            )
        total = self.environment.stats.total.num_requests
        if total >= MAX_REQUESTS and self.environment.runner is not None:
            self.environment.runner.quit()

    @task(4)
    def me(self) -> None:
        self.client.get("/api/akun/saya/", name="GET /api/akun/saya/")

    @task(4)
    def accounts(self) -> None:
        self.client.get("/api/reference/rekening/?limit=20", name="GET /api/reference/rekening/")

    @task(2)
    def audit(self) -> None:
        self.client.get("/api/audit/entries/?limit=20", name="GET /api/audit/entries/")

    @task(1)
    def token_create(self) -> None:
        name = f"load-{uuid.uuid4().hex}"
        response = self.client.post("/api/akun/token/", json={"name": name}, name="POST token")
        self._ack("token", name, response)

    @task(1)
    def file_upload(self) -> None:
        name = f"load-{uuid.uuid4().hex}.pdf"
        response = self.client.post(
            "/api/berkas/",
            files={"file": (name, PDF, "application/pdf")},
            data={"owner_app": "umum"},
            name="POST berkas",
        )
        self._ack("file", name, response)

    @task(1)
    def invite(self) -> None:
        email = f"load-{uuid.uuid4().hex}@example.org"
        response = self.client.post(
            "/api/akun/undangan/", json={"email": email, "role": "tapd"}, name="POST undangan"
        )
        self._ack("invitation", email, response)


def _acks_write(**_kwargs: Any) -> None:
    ACKS_PATH.write_text(json.dumps(_acks))


events.quitting.add_listener(_acks_write)  # type: ignore[no-untyped-call]  # locust is untyped
