"""REST API of perizinan under /api/perizinan/ (OpenAPI through drf-spectacular). Tracking and
verification are public (apps.access public_api) and show what the public pages show."""

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import public_api, region_roles
from apps.licensing import selectors
from apps.licensing.access import BACK, FRONT, KEPALA, is_licensing_staff, steps_of
from apps.licensing.models import HariLibur, Izin, Langkah, Permohonan, StandarLayanan, Step
from apps.licensing.services.applications import permohonan_submit
from apps.licensing.services.permits import izin_revoke
from apps.licensing.services.standards import hari_libur_add, standar_update
from apps.licensing.services.steps import langkah_complete
from saas.api import QueryParams, ValidatedQueryMixin

STAFF = region_roles(FRONT, BACK, KEPALA)
KEPALA_ONLY = region_roles(KEPALA, read=[FRONT, BACK])


class StandarSerializer(serializers.ModelSerializer[StandarLayanan]):
    total_hari_kerja = serializers.IntegerField(read_only=True)

    class Meta:
        model = StandarLayanan
        fields = [
            "kode",
            "nama",
            "sektor",
            "aktif",
            "persyaratan",
            "langkah",
            "total_hari_kerja",
            "retribusi_jenis",
            "retribusi_tetap",
            "retribusi_tarif",
            "retribusi_besaran",
            "opd_teknis",
            "masa_berlaku_bulan",
            "versi",
            "diubah_pada",
        ]
        read_only_fields = ["kode", "sektor", "versi", "diubah_pada"]
        extra_kwargs = {
            "nama": {"max_length": 500},
            "masa_berlaku_bulan": {"max_value": 600, "min_value": 1},
        }


class StandarListApi(generics.ListAPIView):  # type: ignore[type-arg]
    """Service standards of this region (any signed-in person: applicants read them too)."""

    permission_classes = [IsAuthenticated]
    serializer_class = StandarSerializer

    def get_queryset(self) -> Any:
        return selectors.standar_list()


class StandarDetailApi(APIView):
    """GET a standard; PATCH changes it (kepala DPMPTSP), keeping the previous version."""

    permission_classes = [KEPALA_ONLY]

    def _get(self, kode: str) -> StandarLayanan:
        standar = StandarLayanan.objects.filter(kode=kode[:40]).first()
        if standar is None:
            raise NotFound()
        return standar

    @extend_schema(responses=StandarSerializer)
    def get(self, request: Request, kode: str) -> Response:
        return Response(StandarSerializer(self._get(kode)).data)

    @extend_schema(request=StandarSerializer, responses=StandarSerializer)
    def patch(self, request: Request, kode: str) -> Response:
        payload = StandarSerializer(self._get(kode), data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        standar = standar_update(
            standar=self._get(kode), actor=request.user, data=dict(payload.validated_data)
        )
        return Response(StandarSerializer(standar).data)


class LangkahOutputSerializer(serializers.ModelSerializer[Langkah]):
    # Plain strings: the step choices are named once, in LangkahInputSerializer.
    kode = serializers.CharField(read_only=True)

    class Meta:
        model = Langkah
        fields = [
            "kode",
            "urutan",
            "hari_kerja",
            "mulai",
            "tenggat",
            "selesai_pada",
            "hasil",
            "catatan",
            "oleh_label",
        ]


class PermohonanOutputSerializer(serializers.ModelSerializer[Permohonan]):
    jenis_izin = serializers.CharField(source="standar.kode")
    langkah = LangkahOutputSerializer(many=True, read_only=True)
    langkah_sekarang = serializers.CharField(read_only=True)
    izin = serializers.SerializerMethodField()

    class Meta:
        model = Permohonan
        fields = [
            "nomor",
            "jenis_izin",
            "standar_versi",
            "nama_pemohon",
            "email_pemohon",
            "telepon",
            "alamat",
            "lokasi",
            "besaran",
            "kanal",
            "status",
            "langkah_sekarang",
            "diajukan_pada",
            "selesai_pada",
            "retribusi",
            "skrd_nomor",
            "bayar_referensi",
            "dibayar_pada",
            "hari_kerja",
            "tepat_waktu",
            "langkah",
            "izin",
        ]

    def get_izin(self, obj: Permohonan) -> dict[str, Any] | None:
        izin = Izin.objects.filter(permohonan=obj).first()
        if izin is None:
            return None
        return {
            "nomor": izin.nomor,
            "status": izin.status,
            "sha256": izin.sha256,
            "berlaku_sampai": izin.berlaku_sampai,
        }


class PermohonanQuery(QueryParams):
    status = serializers.ChoiceField(choices=Permohonan.Status.choices, required=False)
    langkah = serializers.ChoiceField(choices=Step.choices, required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=40)
    lingkup = serializers.ChoiceField(
        choices=[("semua", "Semua"), ("peran", "Yang menunggu peran saya")],
        required=False,
        default="semua",
    )


class PermohonanCreateSerializer(serializers.Serializer[Any]):
    jenis_izin = serializers.CharField(max_length=40)
    nama_pemohon = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email_pemohon = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    telepon = serializers.CharField(max_length=30, required=False, allow_blank=True)
    alamat = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    lokasi = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class PermohonanListApi(ValidatedQueryMixin, generics.ListAPIView):  # type: ignore[type-arg]
    """GET: staff see every application, an applicant their own. POST (multipart): apply with
    `dokumen_<n>` files for requirement n and `besaran_<kode>` quantities."""

    permission_classes = [IsAuthenticated]
    serializer_class = PermohonanOutputSerializer
    query_serializer = PermohonanQuery
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> Any:
        query = self.query()
        user = self.request.user
        own = None if is_licensing_staff(user) else user.pk
        return selectors.permohonan_list(
            status=query.get("status"),
            langkah=query.get("langkah"),
            q=query.get("q") or None,
            pemohon_id=own,
            for_steps=steps_of(user) if query.get("lingkup") == "peran" else None,
        ).prefetch_related("langkah")

    @extend_schema(request=PermohonanCreateSerializer, responses={201: PermohonanOutputSerializer})
    def post(self, request: Request) -> Response:
        payload = PermohonanCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        standar = (
            selectors.standar_list(active_only=True).filter(kode=data.pop("jenis_izin")).first()
        )
        if standar is None:
            raise NotFound()
        data["besaran"] = {
            key.removeprefix("besaran_"): str(value)[:30]
            for key, value in cast(dict[str, Any], request.data).items()
            if key.startswith("besaran_")
        }
        documents = {
            rule["nama"]: request.FILES[f"dokumen_{i}"]
            for i, rule in enumerate(standar.persyaratan)
            if f"dokumen_{i}" in request.FILES
        }
        permohonan = permohonan_submit(
            standar=standar, actor=request.user, data=data, documents=documents
        )
        return Response(PermohonanOutputSerializer(permohonan).data, status=status.HTTP_201_CREATED)


def _visible(request: Request, nomor: str) -> Permohonan:
    permohonan = selectors.permohonan_get(nomor)
    user = request.user
    if permohonan is None or not (
        is_licensing_staff(user) or (permohonan.pemohon_id and permohonan.pemohon_id == user.pk)
    ):
        raise NotFound()
    return permohonan


class PermohonanDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PermohonanOutputSerializer)
    def get(self, request: Request, nomor: str) -> Response:
        return Response(PermohonanOutputSerializer(_visible(request, nomor)).data)


class LangkahInputSerializer(serializers.Serializer[Any]):
    langkah = serializers.ChoiceField(choices=Step.choices)
    hasil = serializers.ChoiceField(choices=Langkah.Hasil.choices)
    catatan = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    referensi = serializers.CharField(max_length=100, required=False, allow_blank=True)


class LangkahApi(APIView):
    """POST: take the current step (its role only, in order)."""

    permission_classes = [STAFF]

    @extend_schema(request=LangkahInputSerializer, responses=PermohonanOutputSerializer)
    def post(self, request: Request, nomor: str) -> Response:
        permohonan = _visible(request, nomor)
        payload = LangkahInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        permohonan = langkah_complete(
            permohonan=permohonan,
            step=data["langkah"],
            actor=request.user,
            hasil=data["hasil"],
            catatan=data.get("catatan", ""),
            data={"referensi": data.get("referensi", "")},
        )
        return Response(PermohonanOutputSerializer(permohonan).data)


class RevokeInputSerializer(serializers.Serializer[Any]):
    alasan = serializers.CharField(max_length=4000)


class IzinRevokeApi(APIView):
    permission_classes = [region_roles(KEPALA)]

    @extend_schema(request=RevokeInputSerializer, responses={200: None})
    def post(self, request: Request, nomor: str) -> Response:
        izin = Izin.objects.filter(permohonan__nomor=nomor[:40]).first()
        if izin is None:
            raise NotFound()
        payload = RevokeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        izin = izin_revoke(izin=izin, actor=request.user, alasan=payload.validated_data["alasan"])
        return Response({"nomor": izin.nomor, "status": izin.status})


class HariLiburSerializer(serializers.ModelSerializer[HariLibur]):
    class Meta:
        model = HariLibur
        fields = ["id", "tanggal", "nama", "jenis"]
        read_only_fields = ["id"]


class HariLiburApi(generics.ListAPIView):  # type: ignore[type-arg]
    permission_classes = [KEPALA_ONLY]
    serializer_class = HariLiburSerializer
    queryset = HariLibur.objects.all()

    @extend_schema(request=HariLiburSerializer, responses={201: HariLiburSerializer})
    def post(self, request: Request) -> Response:
        payload = HariLiburSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        libur = hari_libur_add(actor=request.user, **payload.validated_data)
        return Response(HariLiburSerializer(libur).data, status=status.HTTP_201_CREATED)


class DasborApi(APIView):
    """The SLA dashboard and the IKM per quarter (kepala DPMPTSP)."""

    permission_classes = [region_roles(KEPALA)]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response({"sla": selectors.dashboard(), "ikm": selectors.ikm()})


@public_api
class LacakApi(APIView):
    """Public tracking by application number: no personal data beyond initials."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, nomor: str) -> Response:
        result = selectors.tracking(nomor)
        if result is None:
            raise NotFound()
        return Response(result)


@public_api
class VerifikasiApi(APIView):
    """Public verification of an issued permit by its signed code."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, code: str) -> Response:
        result = selectors.verification(code)
        if result is None:
            raise NotFound()
        return Response(result)
