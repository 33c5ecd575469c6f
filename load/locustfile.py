"""Locust users of `make load` (load/run.py starts this with the regions it prepared).

Each user works in one region (round robin over LOAD_REGIONS, so 50 users cover 20 regions),
each request signed in with the API token of the role it needs there. Reads: who am I, a 20-row
account list, the audit log, the lists of RKPD entries, Musrenbang proposals, permit
applications and budget lines, and the pages of e-planning, perizinan and e-budgeting (each
with the session of a person of the page's role). Writes: API tokens, file uploads,
invitations, an RKPD entry (Bappeda, in the open stage), a Musrenbang proposal (Bappeda), a
permit application with its document (front office) and a budget line priced from the standard
price list (Dinkes OPD operator). Every write the server acknowledged is appended to LOAD_ACKS
with its region and key (a unique text in the row), for run.py to find in the database
afterwards. The run stops at LOAD_MAX_REQUESTS requests if the time limit is not first.
"""

import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

REGIONS: list[dict[str, Any]] = json.loads(Path(os.environ["LOAD_REGIONS"]).read_text())
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

    def _as(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Token {self.region['tokens'][who]}"}

    def _ack(self, kind: str, key: str, response: Any) -> None:
        if response.status_code == 201:
            body = response.json()
            _acks.append(
                {
                    "schema": self.region["schema"],
                    "kind": kind,
                    "key": key,
                    "id": str(body.get("id") or body.get("nomor")),
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

    @task(2)
    def plan_list(self) -> None:
        year = self.region["year"]
        self.client.get(
            f"/api/perencanaan/entri/?tahun={year}&limit=20",
            headers=self._as("bappeda"),
            name="GET /api/perencanaan/entri/",
        )

    @task(2)
    def proposal_list(self) -> None:
        self.client.get(
            f"/api/perencanaan/usulan/?tahun={self.region['year']}&limit=20",
            headers=self._as("bappeda"),
            name="GET /api/perencanaan/usulan/",
        )

    @task(2)
    def permit_list(self) -> None:
        self.client.get(
            "/api/perizinan/permohonan/?limit=20",
            headers=self._as("loket"),
            name="GET /api/perizinan/permohonan/",
        )

    @task(2)
    def line_list(self) -> None:
        self.client.get(
            f"/api/anggaran/rincian/?tahun={self.region['year']}&limit=20",
            headers=self._as("opd"),
            name="GET /api/anggaran/rincian/",
        )

    @task(3)
    def pages(self) -> None:
        pages = (("/perencanaan/", "bappeda"), ("/anggaran/", "opd"), ("/perizinan/", "loket"))
        for path, who in pages:
            cookie = f"{self.region['session_cookie']}={self.region['sessions'][who]}"
            # The session alone signs these in (no token); a redirect to sign-in is a failure.
            with self.client.get(
                path,
                headers={"Cookie": cookie, "Authorization": None},
                name=f"page {path}",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} on {path}")

    @task(1)
    def plan_entry(self) -> None:
        key = f"load-{uuid.uuid4().hex}"
        body = {
            "tahun": self.region["year"],
            "sub_kegiatan": random.choice(self.region["sub_kegiatan"]),
            "opd": self.region["opd"],
            "indikator": "Jumlah layanan",
            "satuan": "unit",
            "target": "1",
            "target_berikut": "1",
            "pagu": "1000000",
            "pagu_berikut": "1000000",
            "sumber_dana": self.region["sumber_dana"],
            "kecamatan": "",
            "desa": "",
            "sasaran": key,
        }
        response = self.client.post(
            "/api/perencanaan/entri/", json=body, headers=self._as("bappeda"), name="POST entri"
        )
        self._ack("entri", key, response)

    @task(1)
    def proposal(self) -> None:
        key = f"load-{uuid.uuid4().hex}"
        body = {
            "tahun": self.region["year"],
            "sumber": "musrenbang",
            "desa": self.region["desa"],
            "masalah": key,
            "usulan": "Perbaikan jalan desa",
            "volume": "1",
            "satuan": "paket",
            "biaya": "25000000",
            "prioritas": 1,
        }
        response = self.client.post(
            "/api/perencanaan/usulan/", json=body, headers=self._as("bappeda"), name="POST usulan"
        )
        self._ack("usulan", key, response)

    @task(1)
    def permit(self) -> None:
        key = f"load-{uuid.uuid4().hex}"
        response = self.client.post(
            "/api/perizinan/permohonan/",
            data={
                "jenis_izin": self.region["jenis_izin"],
                "nama_pemohon": "Pemohon Beban",
                "alamat": key,
                "lokasi": "Uji beban",
            },
            files={"dokumen_0": ("ktp.pdf", PDF, "application/pdf")},
            headers=self._as("loket"),
            name="POST permohonan",
        )
        self._ack("permohonan", key, response)

    @task(1)
    def budget_line(self) -> None:
        key = f"load-{uuid.uuid4().hex}"[:60]
        body = {
            "tahun": self.region["year"],
            "plan_entry": random.choice(self.region["entries"]),
            "rekening": "5.1.02.01.01.0024",
            "standar_harga": "SSH.01.0002",
            "volume_1": "1",
            "satuan_1": "orang",
            "ppn": False,
            "sumber_dana": self.region["sumber_dana"],
            "lokasi": key,
        }
        response = self.client.post(
            "/api/anggaran/rincian/", json=body, headers=self._as("opd"), name="POST rincian"
        )
        self._ack("rincian", key, response)


def _acks_write(**_kwargs: Any) -> None:
    ACKS_PATH.write_text(json.dumps(_acks))


events.quitting.add_listener(_acks_write)  # type: ignore[no-untyped-call]  # locust is untyped
