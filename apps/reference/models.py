"""Versioned reference data every region receives from the master template.

Rows are keyed by their official code (a natural key with a named unique constraint) and are never
deleted by a release: a code withdrawn later is marked retired (`retired_at`), because budget lines,
plans and permits of a region may still point to it.
"""

from django.conf import settings
from django.db import models


class ReferenceModel(models.Model):
    kode = models.CharField(max_length=40)
    nama = models.TextField()
    # Set when a later release no longer lists the code; cleared when a release lists it again.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


# Special-autonomy groups and the provinces whose regions may plan with their items: Aceh (UU
# 11/2006), the Papua provinces (Otsus, UU 2/2021: Papua, Papua Barat and the 2022 new provinces)
# and DI Yogyakarta (keistimewaan, UU 13/2012).
KEKHUSUSAN_PROVINSI: dict[str, frozenset[str]] = {
    "aceh": frozenset({"11"}),
    "papua": frozenset({"91", "92", "93", "94", "95", "96"}),
    "diy": frozenset({"34"}),
}


def kekhususan_groups(province_code: str) -> set[str]:
    """The special-autonomy groups a region of this province may plan with (often none)."""
    province = province_code.split(".")[0]
    return {group for group, provinces in KEKHUSUSAN_PROVINSI.items() if province in provinces}


class Nomenklatur(ReferenceModel):
    """Planning nomenclature (Permendagri 90/2019 and its Kepmendagri updates), all five levels.

    `X.XX.01...` rows are the program penunjang shared by every bidang (no bidang parent).
    Special-autonomy rows (`kekhususan` set) are offered only to regions of their provinces.
    """

    class Level(models.TextChoices):
        URUSAN = "urusan", "Urusan"
        BIDANG = "bidang", "Bidang urusan"
        PROGRAM = "program", "Program"
        KEGIATAN = "kegiatan", "Kegiatan"
        SUB_KEGIATAN = "sub_kegiatan", "Sub kegiatan"

    tingkat = models.CharField(max_length=16, choices=Level.choices)
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="anak"
    )
    # The 2-digit sub kegiatan code of Kepmendagri 050-3708/2020 this row descends from.
    kode_lama = models.CharField(max_length=40, blank=True, default="")
    penunjang = models.BooleanField(default=False)
    kinerja = models.TextField(blank=True, default="")
    indikator = models.TextField(blank=True, default="")
    satuan = models.CharField(max_length=100, blank=True, default="")
    # "" for the general list; else the special-autonomy group(s), e.g. "aceh" or "aceh,papua".
    kekhususan = models.CharField(max_length=40, blank=True, default="")
    # The code this item had in the previous nomenclature when it was renumbered (SIPD export).
    kode_sebelumnya = models.CharField(max_length=40, blank=True, default="")
    spm = models.BooleanField(default=False)  # serves a minimum service standard (SPM)
    jenis = models.CharField(max_length=20, blank=True, default="")  # Layanan or Aktifitas
    tag = models.TextField(blank=True, default="")
    pelaksana = models.TextField(blank=True, default="")
    definisi_operasional = models.TextField(blank=True, default="")

    class Meta(ReferenceModel.Meta):
        verbose_name_plural = "nomenklatur"
        constraints = [
            models.UniqueConstraint(fields=["kode"], name="reference_nomenklatur_kode_uniq")
        ]
        indexes = [models.Index(fields=["tingkat", "kode"], name="reference_nomenklatur_tk_idx")]

    @property
    def khusus(self) -> bool:
        return bool(self.kekhususan)

    def available_to(self, province_code: str) -> bool:
        """True when a region of this province may plan with the item (ignores retirement)."""
        if not self.kekhususan:
            return True
        return bool(set(self.kekhususan.split(",")) & kekhususan_groups(province_code))


class Rekening(ReferenceModel):
    """Chart of accounts (kode rekening) from akun down to sub rincian objek."""

    class Level(models.TextChoices):
        AKUN = "akun", "Akun"
        KELOMPOK = "kelompok", "Kelompok"
        JENIS = "jenis", "Jenis"
        OBJEK = "objek", "Objek"
        RINCIAN_OBJEK = "rincian_objek", "Rincian objek"
        SUB_RINCIAN_OBJEK = "sub_rincian_objek", "Sub rincian objek"

    tingkat = models.CharField(max_length=20, choices=Level.choices)
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="anak"
    )

    class Meta(ReferenceModel.Meta):
        verbose_name_plural = "rekening"
        constraints = [
            models.UniqueConstraint(fields=["kode"], name="reference_rekening_kode_uniq")
        ]
        indexes = [models.Index(fields=["tingkat", "kode"], name="reference_rekening_tk_idx")]


class DaftarHarga(models.Model):
    """A region's standard-price list for one budget year (its head of region's Perbup/Perwali
    annex): imported from the SIPD workbook as a new version; earlier lists stay readable.
    The template carries none: prices are each region's own."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        BERLAKU = "berlaku", "Berlaku"
        ARSIP = "arsip", "Arsip"

    tahun = models.PositiveSmallIntegerField()
    versi = models.PositiveSmallIntegerField(default=1)
    dasar_hukum = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BERLAKU)
    # Set when the list is a copy of another region's list (the demo borrows Pasangkayu's).
    dipinjam_dari = models.CharField(max_length=200, blank=True, default="")
    berkas = models.CharField(max_length=255, blank=True, default="")
    jumlah = models.PositiveIntegerField(default=0)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "-versi"]
        verbose_name_plural = "daftar harga"
        constraints = [
            models.UniqueConstraint(fields=["tahun", "versi"], name="reference_daftarharga_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.tahun} v{self.versi}"


class StandarHarga(ReferenceModel):
    """A standard price (SSH, HSPK, ASB or SBU) of one price list and the belanja accounts it may
    be budgeted on."""

    class Jenis(models.TextChoices):
        SSH = "SSH", "Standar Satuan Harga"
        HSPK = "HSPK", "Harga Satuan Pokok Kegiatan"
        ASB = "ASB", "Analisis Standar Belanja"
        SBU = "SBU", "Standar Biaya Umum"

    daftar = models.ForeignKey(DaftarHarga, on_delete=models.PROTECT, related_name="item")
    jenis = models.CharField(max_length=4, choices=Jenis.choices)
    spesifikasi = models.TextField(blank=True, default="")
    satuan = models.CharField(max_length=40)
    harga = models.DecimalField(max_digits=18, decimal_places=2)
    rekening = models.ManyToManyField(
        Rekening, through="StandarHargaRekening", related_name="standar_harga"
    )
    # True for the composed starter list: no region's official price list was available.
    ilustratif = models.BooleanField(default=False)
    catatan = models.TextField(blank=True, default="")
    # Domestic content share (TKDN, percent) where the workbook gives one.
    tkdn = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta(ReferenceModel.Meta):
        verbose_name_plural = "standar harga"
        constraints = [
            models.UniqueConstraint(
                fields=["daftar", "kode"], name="reference_standarharga_kode_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(harga__gte=0), name="reference_standarharga_harga_gte_0"
            ),
        ]
        indexes = [models.Index(fields=["jenis", "kode"], name="reference_harga_jenis_idx")]


class StandarHargaRekening(models.Model):
    standar_harga = models.ForeignKey(StandarHarga, on_delete=models.CASCADE)
    rekening = models.ForeignKey(Rekening, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["standar_harga", "rekening"], name="reference_harga_rekening_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.standar_harga_id} -> {self.rekening_id}"


class SumberDana(ReferenceModel):
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="anak"
    )
    keterangan = models.TextField(blank=True, default="")

    class Meta(ReferenceModel.Meta):
        verbose_name_plural = "sumber dana"
        constraints = [
            models.UniqueConstraint(fields=["kode"], name="reference_sumberdana_kode_uniq")
        ]


class PerangkatDaerah(ReferenceModel):
    """A default OPD; its code names up to three bidang urusan (Permendagri 90/2019 style)."""

    singkatan = models.CharField(max_length=40, blank=True, default="")
    jenis = models.CharField(max_length=20, blank=True, default="")
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="unit"
    )

    class Meta(ReferenceModel.Meta):
        verbose_name_plural = "perangkat daerah"
        constraints = [
            models.UniqueConstraint(fields=["kode"], name="reference_perangkatdaerah_kode_uniq")
        ]

    @property
    def bidang_kode(self) -> list[str]:
        """The bidang urusan codes in the OPD code: 2.16.2.20.2.21... -> 2.16, 2.20, 2.21."""
        parts = self.kode.split(".")
        pairs = [f"{parts[i]}.{parts[i + 1]}" for i in (0, 2, 4) if i + 1 < len(parts)]
        return [pair for pair in pairs if not pair.startswith("0.")]


class JenisIzin(ReferenceModel):
    """A permit type with its service standard (requirements, SLA in working days, retribution)."""

    sektor = models.CharField(max_length=100, blank=True, default="")
    persyaratan = models.JSONField(default=list, blank=True)
    waktu_hari_kerja = models.PositiveSmallIntegerField(null=True, blank=True)
    retribusi = models.TextField(blank=True, default="")
    dasar_hukum = models.TextField(blank=True, default="")
    # False for licences replaced by the 2021 reforms (IMB -> PBG ...); kept for old records.
    berlaku = models.BooleanField(default=True)
    digantikan_oleh = models.CharField(max_length=40, blank=True, default="")
    sumber = models.TextField(blank=True, default="")
    # Requirements, working days and legal basis all known: usable as a service standard.
    standar_lengkap = models.BooleanField(default=False)

    class Meta(ReferenceModel.Meta):
        verbose_name_plural = "jenis izin"
        constraints = [
            models.UniqueConstraint(fields=["kode"], name="reference_jenisizin_kode_uniq")
        ]


class ReferenceRelease(models.Model):
    """A reference-data release loaded into this schema, with checksums of its files and data."""

    versi = models.CharField(max_length=40)
    checksum_sumber = models.CharField(max_length=64)
    checksum_data = models.CharField(max_length=64)
    jumlah = models.JSONField(default=dict, blank=True)
    perubahan = models.JSONField(default=dict, blank=True)
    dimuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dimuat_pada", "-id"]
        get_latest_by = "dimuat_pada"

    def __str__(self) -> str:
        return f"{self.versi} ({self.checksum_data[:12]})"


class UsulanHarga(models.Model):
    """A standard-price change request (usulan SSH) of one OPD: a new item, a new price for an
    item, or a new allowed account for an item. It changes the price list in force only when
    BPKAD and TAPD have both approved it, by two different people (PersetujuanHarga)."""

    class Jenis(models.TextChoices):
        ITEM_BARU = "item_baru", "Item baru"
        HARGA_BARU = "harga_baru", "Harga baru"
        REKENING_BARU = "rekening_baru", "Rekening baru"

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Diajukan"
        DISETUJUI = "disetujui", "Disetujui dan berlaku"
        DITOLAK = "ditolak", "Ditolak"

    nomor = models.CharField(max_length=30, unique=True)
    jenis_usulan = models.CharField(max_length=16, choices=Jenis.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIAJUKAN)
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    # The list in force when proposed; an item_baru request adds its item there.
    daftar = models.ForeignKey(DaftarHarga, on_delete=models.PROTECT, related_name="usulan")
    # The item changed (harga_baru, rekening_baru) or created once approved (item_baru).
    standar_harga = models.ForeignKey(
        StandarHarga, null=True, blank=True, on_delete=models.PROTECT, related_name="usulan"
    )
    jenis_standar = models.CharField(
        max_length=4, choices=StandarHarga.Jenis.choices, blank=True, default=""
    )
    kode = models.CharField(max_length=40, blank=True, default="")
    uraian = models.TextField(blank=True, default="")
    spesifikasi = models.TextField(blank=True, default="")
    satuan = models.CharField(max_length=40, blank=True, default="")
    harga = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    # The item's price when the request took effect (harga_baru).
    harga_lama = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    rekening = models.ManyToManyField(Rekening, blank=True, related_name="+")
    alasan = models.TextField()
    lampiran = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # No constraint, no cascade (as apps.files.StoredFile.uploaded_by): the user model lives in
    # public too, where this table does not exist.
    diusulkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    diajukan_pada = models.DateTimeField(auto_now_add=True)
    diputus_pada = models.DateTimeField(null=True, blank=True)
    ditolak_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    alasan_penolakan = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-diajukan_pada", "-id"]
        verbose_name_plural = "usulan harga"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(harga__isnull=True) | models.Q(harga__gt=0),
                name="reference_usulanharga_harga_gt_0",
            ),
            # Two open requests for the same new code in one list cannot both be approved.
            models.UniqueConstraint(
                fields=["daftar", "kode"],
                condition=models.Q(jenis_usulan="item_baru", status="diajukan"),
                name="reference_usulanharga_kode_open_uniq",
            ),
        ]
        indexes = [models.Index(fields=["status", "opd"], name="reference_usulan_status_idx")]

    def __str__(self) -> str:
        return self.nomor

    @property
    def opd_code(self) -> str:
        """The OPD's code, for apps.access's OPD scope checks."""
        return str(self.opd.kode)


class PersetujuanHarga(models.Model):
    """One approval of a request: at most one per role and one per person (so the same person
    cannot give both, whatever roles they hold); PostgreSQL enforces both."""

    class Peran(models.TextChoices):
        BPKAD = "bpkad", "BPKAD"
        TAPD = "tapd", "TAPD"

    usulan = models.ForeignKey(UsulanHarga, on_delete=models.PROTECT, related_name="persetujuan")
    peran = models.CharField(max_length=8, choices=Peran.choices)
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    oleh_label = models.CharField(max_length=255, blank=True, default="")
    catatan = models.TextField(blank=True, default="")
    pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pada", "id"]
        verbose_name_plural = "persetujuan harga"
        constraints = [
            models.UniqueConstraint(
                fields=["usulan", "peran"], name="reference_persetujuan_once_per_role"
            ),
            models.UniqueConstraint(
                fields=["usulan", "oleh"], name="reference_persetujuan_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.usulan_id} {self.peran}"


class RiwayatHarga(models.Model):
    """One change of a standard-price item: written by every approved request (new item, new
    price, new account). The imported price is read as the first entry (selectors)."""

    class Perubahan(models.TextChoices):
        ITEM_BARU = "item_baru", "Item baru"
        HARGA = "harga", "Perubahan harga"
        REKENING = "rekening", "Rekening ditambahkan"

    standar_harga = models.ForeignKey(
        StandarHarga, on_delete=models.CASCADE, related_name="riwayat"
    )
    perubahan = models.CharField(max_length=10, choices=Perubahan.choices)
    harga_lama = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    harga_baru = models.DecimalField(max_digits=18, decimal_places=2)
    rekening = models.ForeignKey(
        Rekening, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    berlaku_mulai = models.DateTimeField()
    usulan = models.ForeignKey(
        UsulanHarga, null=True, blank=True, on_delete=models.PROTECT, related_name="riwayat"
    )

    class Meta:
        ordering = ["berlaku_mulai", "id"]
        verbose_name_plural = "riwayat harga"

    def __str__(self) -> str:
        return f"{self.standar_harga_id} {self.harga_lama} -> {self.harga_baru}"
