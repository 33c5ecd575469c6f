"""Every action an audit entry may name, in one registry.

`audit_record` and `platform_audit_record` take an `AuditAction` and refuse anything else, so a
new kind of entry is added here first (with its label) and a typo cannot create a new action.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class AuditAction(StrEnum):
    # identity (regions, and the console for platform staff)
    ROLES_CHANGED = "accounts.roles_changed"
    USER_DEACTIVATED = "accounts.user_deactivated"
    USER_REACTIVATED = "accounts.user_reactivated"
    API_TOKEN_CREATED = "accounts.api_token_created"
    API_TOKEN_REVOKED = "accounts.api_token_revoked"
    INVITATION_CREATED = "accounts.invitation_created"
    INVITATION_ACCEPTED = "accounts.invitation_accepted"
    INVITATION_REVOKED = "accounts.invitation_revoked"
    # support access
    SUPPORT_GRANT_OPENED = "support.grant_opened"
    SUPPORT_SESSION_STARTED = "support.session_started"
    SUPPORT_GRANT_ENDED = "support.grant_ended"
    SUPPORT_REQUEST = "support.request"
    # reference data
    REFERENCE_IMPORTED = "reference.imported"
    REFERENCE_RELEASE_APPLIED = "reference.release_applied"
    REFERENCE_PRICE_REQUEST_CREATED = "reference.price_request_created"
    REFERENCE_PRICE_REQUEST_APPROVED = "reference.price_request_approved"
    REFERENCE_PRICE_REQUEST_APPLIED = "reference.price_request_applied"
    REFERENCE_PRICE_REQUEST_REJECTED = "reference.price_request_rejected"
    # a region's lifecycle (operations.models.LifecycleRecord.Action, prefixed)
    REGION_PROVISIONED = "region.provisioned"
    REGION_SUSPEND = "region.suspend"
    REGION_RESUME = "region.resume"
    REGION_ARCHIVE = "region.archive"
    REGION_EXPORT = "region.export"
    REGION_DOWNLOAD = "region.download"
    REGION_RESTORE = "region.restore"
    REGION_DELETE = "region.delete"
    REGION_UPGRADE = "region.upgrade"
    # the master template and its rollouts
    TEMPLATE_VERSION_PUBLISHED = "template.version_published"
    TEMPLATE_VERSION_RECORDED = "template.version_recorded"
    ROLLOUT_CREATED = "rollout.created"
    ROLLOUT_RUN = "rollout.run"
    ROLLOUT_ITEM_RETRIED = "rollout.item_retried"
    # a region's own domains
    DOMAIN_REQUESTED = "domain.requested"
    DOMAIN_VERIFIED = "domain.verified"
    DOMAIN_REMOVED = "domain.removed"
    # region files
    FILE_STORED = "files.stored"
    FILE_DELETED = "files.deleted"
    # perizinan terpadu (apps.licensing)
    LICENSING_APPLICANT_REGISTERED = "licensing.applicant_registered"
    LICENSING_STANDARD_SAVED = "licensing.standard_saved"
    LICENSING_DAY_OFF_ADDED = "licensing.day_off_added"
    LICENSING_DAY_OFF_REMOVED = "licensing.day_off_removed"
    LICENSING_APPLIED = "licensing.applied"
    LICENSING_STEP_DONE = "licensing.step_done"
    LICENSING_RETURNED = "licensing.returned"
    LICENSING_RESUBMITTED = "licensing.resubmitted"
    LICENSING_PAID = "licensing.paid"
    LICENSING_PERMIT_ISSUED = "licensing.permit_issued"
    LICENSING_PERMIT_REVOKED = "licensing.permit_revoked"
    LICENSING_SURVEY = "licensing.survey"
    # e-planning
    PLANNING_PERIOD_CREATED = "planning.period_created"
    PLANNING_STAGE_CREATED = "planning.stage_created"
    PLANNING_STAGE_OPENED = "planning.stage_opened"
    PLANNING_STAGE_CLOSED = "planning.stage_closed"
    PLANNING_CEILING_SET = "planning.ceiling_set"
    PLANNING_ENTRY_CREATED = "planning.entry_created"
    PLANNING_ENTRY_UPDATED = "planning.entry_updated"
    PLANNING_ENTRY_DELETED = "planning.entry_deleted"
    PLANNING_RENJA_SUBMITTED = "planning.renja_submitted"
    PLANNING_RENJA_VERIFIED = "planning.renja_verified"
    PLANNING_PROPOSAL_CREATED = "planning.proposal_created"
    PLANNING_PROPOSAL_RECOMMENDED = "planning.proposal_recommended"
    PLANNING_PROPOSAL_ATTACHED = "planning.proposal_attached"
    PLANNING_RPJMD_SAVED = "planning.rpjmd_saved"
    PLANNING_RPJMD_DELETED = "planning.rpjmd_deleted"
    PLANNING_RENSTRA_SAVED = "planning.renstra_saved"
    PLANNING_RENSTRA_DELETED = "planning.renstra_deleted"
    # transparency portal
    PORTAL_PUBLISHED = "portal.published"
    # e-budgeting
    BUDGET_YEAR_OPENED = "budgeting.year_opened"
    BUDGET_CEILINGS_SET = "budgeting.ceilings_set"
    BUDGET_REVENUE_SAVED = "budgeting.revenue_saved"
    BUDGET_FINANCING_SAVED = "budgeting.financing_saved"
    BUDGET_LINE_CREATED = "budgeting.line_created"
    BUDGET_LINE_UPDATED = "budgeting.line_updated"
    BUDGET_LINE_DELETED = "budgeting.line_deleted"
    BUDGET_RKA_SUBMITTED = "budgeting.rka_submitted"
    BUDGET_RKA_VERIFIED = "budgeting.rka_verified"
    BUDGET_ENACTED = "budgeting.enacted"
    BUDGET_DPA_ISSUED = "budgeting.dpa_issued"
    BUDGET_REVISION_CREATED = "budgeting.revision_created"
    # the chain itself
    AUDIT_HEAD_REBUILT = "audit.head_rebuilt"

    @classmethod
    def lifecycle(cls, action: str) -> "AuditAction":
        """The entry of a lifecycle action (`suspend` -> `region.suspend`); unknown ones raise."""
        return cls(f"region.{action}")

    @property
    def label(self) -> str:
        return str(LABELS.get(self, self.value))


LABELS = {
    AuditAction.ROLES_CHANGED: _("Peran pengguna diubah"),
    AuditAction.USER_DEACTIVATED: _("Pengguna dinonaktifkan"),
    AuditAction.USER_REACTIVATED: _("Pengguna diaktifkan kembali"),
    AuditAction.API_TOKEN_CREATED: _("Token API dibuat"),
    AuditAction.API_TOKEN_REVOKED: _("Token API dicabut"),
    AuditAction.INVITATION_CREATED: _("Undangan dikirim"),
    AuditAction.INVITATION_ACCEPTED: _("Undangan diterima"),
    AuditAction.INVITATION_REVOKED: _("Undangan dibatalkan"),
    AuditAction.SUPPORT_GRANT_OPENED: _("Hibah akses dukungan dibuka"),
    AuditAction.SUPPORT_SESSION_STARTED: _("Sesi dukungan dimulai"),
    AuditAction.SUPPORT_GRANT_ENDED: _("Hibah akses dukungan diakhiri"),
    AuditAction.SUPPORT_REQUEST: _("Permintaan dalam sesi dukungan"),
    AuditAction.REFERENCE_IMPORTED: _("Data referensi diimpor"),
    AuditAction.REFERENCE_RELEASE_APPLIED: _("Rilis data referensi diterapkan"),
    AuditAction.REFERENCE_PRICE_REQUEST_CREATED: _("Usulan standar harga diajukan"),
    AuditAction.REFERENCE_PRICE_REQUEST_APPROVED: _("Usulan standar harga disetujui"),
    AuditAction.REFERENCE_PRICE_REQUEST_APPLIED: _("Usulan standar harga berlaku"),
    AuditAction.REFERENCE_PRICE_REQUEST_REJECTED: _("Usulan standar harga ditolak"),
    AuditAction.REGION_PROVISIONED: _("Daerah disiapkan"),
    AuditAction.REGION_SUSPEND: _("Daerah ditangguhkan"),
    AuditAction.REGION_RESUME: _("Daerah diaktifkan kembali"),
    AuditAction.REGION_ARCHIVE: _("Daerah diarsipkan"),
    AuditAction.REGION_EXPORT: _("Daerah diekspor"),
    AuditAction.REGION_DOWNLOAD: _("Arsip daerah diunduh"),
    AuditAction.REGION_RESTORE: _("Daerah dipulihkan"),
    AuditAction.REGION_DELETE: _("Daerah dihapus"),
    AuditAction.REGION_UPGRADE: _("Versi daerah ditingkatkan"),
    AuditAction.TEMPLATE_VERSION_PUBLISHED: _("Versi templat diterbitkan"),
    AuditAction.TEMPLATE_VERSION_RECORDED: _("Versi templat dicatat"),
    AuditAction.ROLLOUT_CREATED: _("Peluncuran versi dibuat"),
    AuditAction.ROLLOUT_RUN: _("Peluncuran versi dijalankan"),
    AuditAction.ROLLOUT_ITEM_RETRIED: _("Peluncuran satu daerah diulang"),
    AuditAction.DOMAIN_REQUESTED: _("Domain daerah diajukan"),
    AuditAction.DOMAIN_VERIFIED: _("Domain daerah terverifikasi"),
    AuditAction.DOMAIN_REMOVED: _("Domain daerah dihapus"),
    AuditAction.FILE_STORED: _("Berkas disimpan"),
    AuditAction.FILE_DELETED: _("Berkas dihapus"),
    AuditAction.LICENSING_APPLICANT_REGISTERED: _("Pemohon izin mendaftar"),
    AuditAction.LICENSING_STANDARD_SAVED: _("Standar pelayanan perizinan disimpan"),
    AuditAction.LICENSING_DAY_OFF_ADDED: _("Hari libur daerah ditambahkan"),
    AuditAction.LICENSING_DAY_OFF_REMOVED: _("Hari libur daerah dihapus"),
    AuditAction.LICENSING_APPLIED: _("Permohonan izin diajukan"),
    AuditAction.LICENSING_STEP_DONE: _("Tahap permohonan izin diselesaikan"),
    AuditAction.LICENSING_RETURNED: _("Permohonan izin dikembalikan ke pemohon"),
    AuditAction.LICENSING_RESUBMITTED: _("Permohonan izin diajukan kembali"),
    AuditAction.LICENSING_PAID: _("Pembayaran retribusi dicatat"),
    AuditAction.LICENSING_PERMIT_ISSUED: _("Izin diterbitkan"),
    AuditAction.LICENSING_PERMIT_REVOKED: _("Izin dicabut"),
    AuditAction.LICENSING_SURVEY: _("Survei kepuasan masyarakat diisi"),
    AuditAction.PLANNING_PERIOD_CREATED: _("Periode RPJMD dibuat"),
    AuditAction.PLANNING_STAGE_CREATED: _("Tahapan perencanaan dijadwalkan"),
    AuditAction.PLANNING_STAGE_OPENED: _("Tahapan perencanaan dibuka"),
    AuditAction.PLANNING_STAGE_CLOSED: _("Tahapan perencanaan ditutup dan dibekukan"),
    AuditAction.PLANNING_CEILING_SET: _("Pagu indikatif OPD ditetapkan"),
    AuditAction.PLANNING_ENTRY_CREATED: _("Sub kegiatan rencana ditambahkan"),
    AuditAction.PLANNING_ENTRY_UPDATED: _("Sub kegiatan rencana diubah"),
    AuditAction.PLANNING_ENTRY_DELETED: _("Sub kegiatan rencana dihapus"),
    AuditAction.PLANNING_RENJA_SUBMITTED: _("Renja OPD diajukan"),
    AuditAction.PLANNING_RENJA_VERIFIED: _("Renja OPD diverifikasi"),
    AuditAction.PLANNING_PROPOSAL_CREATED: _("Usulan Musrenbang dicatat"),
    AuditAction.PLANNING_PROPOSAL_RECOMMENDED: _("Rekomendasi usulan dicatat"),
    AuditAction.PLANNING_PROPOSAL_ATTACHED: _("Usulan dimasukkan ke RKPD"),
    AuditAction.PLANNING_RPJMD_SAVED: _("Isian RPJMD disimpan"),
    AuditAction.PLANNING_RPJMD_DELETED: _("Isian RPJMD dihapus"),
    AuditAction.PLANNING_RENSTRA_SAVED: _("Isian Renstra OPD disimpan"),
    AuditAction.PLANNING_RENSTRA_DELETED: _("Isian Renstra OPD dihapus"),
    AuditAction.PORTAL_PUBLISHED: _("Dokumen diterbitkan ke portal transparansi"),
    AuditAction.BUDGET_YEAR_OPENED: _("Tahun anggaran dibuka"),
    AuditAction.BUDGET_CEILINGS_SET: _("Pagu KUA-PPAS ditetapkan"),
    AuditAction.BUDGET_REVENUE_SAVED: _("Target pendapatan disimpan"),
    AuditAction.BUDGET_FINANCING_SAVED: _("Pembiayaan disimpan"),
    AuditAction.BUDGET_LINE_CREATED: _("Rincian belanja ditambahkan"),
    AuditAction.BUDGET_LINE_UPDATED: _("Rincian belanja diubah"),
    AuditAction.BUDGET_LINE_DELETED: _("Rincian belanja dihapus"),
    AuditAction.BUDGET_RKA_SUBMITTED: _("RKA diajukan kepala OPD"),
    AuditAction.BUDGET_RKA_VERIFIED: _("RKA diverifikasi TAPD"),
    AuditAction.BUDGET_ENACTED: _("APBD ditetapkan dan dikunci"),
    AuditAction.BUDGET_DPA_ISSUED: _("DPA diterbitkan"),
    AuditAction.BUDGET_REVISION_CREATED: _("Perubahan anggaran dimulai"),
    AuditAction.AUDIT_HEAD_REBUILT: _("Kepala rantai audit dibangun ulang"),
}


def audit_action_check(action: object) -> AuditAction:
    """The registered action `action` names; anything else raises ValueError."""
    try:
        if not isinstance(action, str):
            raise ValueError(action)
        return AuditAction(action)
    except ValueError:
        raise ValueError(
            f"audit action {action!r} is not registered in apps.audit.actions"
        ) from None
