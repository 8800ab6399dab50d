"""Every API operation's id: readable, in the verbs an integrator expects (list, get, create,
replace, update, delete, and the workflow's own), and stable — a generated client's method
names come from here, so renaming a Python function never renames a client's method.

A route missing here fails the schema's build (and the test that builds it): add its id when
you add the route, and never change one that has shipped (see docs/API-CHANGELOG.md).
"""

OPERATION_IDS = {
    # autentikasi
    "sikla.accounts.api.token": "createToken",
    "sikla.accounts.api.tokens": "listTokens",
    "sikla.accounts.api.revoke": "revokeToken",
    # wilayah, indikator, pemerintah daerah
    "sikla.regions.api.region_detail": "getRegion",
    "sikla.indicators.api.catalog": "getIndicatorCatalog",
    "sikla.organisations.api.local_governments": "listLocalGovernments",
    "sikla.organisations.api.local_government": "getLocalGovernment",
    # pengumpulan data
    "sikla.collection.api.submissions": "listSubmissions",
    "sikla.collection.api.submission_values": "getSubmissionValues",
    "sikla.collection.api.replace_values": "replaceSubmissionValues",
    "sikla.collection.api.update_values": "updateSubmissionValues",
    "sikla.collection.api.upload_evidence": "uploadSubmissionEvidence",
    "sikla.collection.api.submit_submission": "submitSubmission",
    "sikla.collection.api.return_submission": "returnSubmission",
    "sikla.collection.api.approve_submission": "approveSubmission",
    # evaluasi
    "sikla.evaluation.api.evaluation": "getEvaluation",
    "sikla.evaluation.api.simulate": "simulateEvaluation",
    "sikla.evaluation.api.answers": "getEvaluationAnswers",
    "sikla.evaluation.api.save_answers": "replaceEvaluationAnswers",
    "sikla.evaluation.api.categories": "listCategoryHistory",
    # pemantauan
    "sikla.evaluation.api_monitoring.season": "listMonitoring",
    "sikla.evaluation.api_monitoring.indicators": "listMonitoringIndicators",
    # perlindungan
    "sikla.protection.api.case_list": "listCases",
    "sikla.protection.api.case_detail": "getCase",
    "sikla.protection.api.add_service": "createCaseService",
    "sikla.protection.api.transition": "transitionCase",
    "sikla.protection.api_statistics.statistics": "getProtectionStatistics",
    "sikla.protection.api_public.create": "createComplaint",
    "sikla.protection.api_public.status": "getComplaintStatus",
    # koordinasi dan rencana aksi
    "sikla.planning.api_meetings.meeting_list": "listMeetings",
    "sikla.planning.api_meetings.meeting_create": "createMeeting",
    "sikla.planning.api_meetings.follow_up_create": "createFollowUp",
    "sikla.planning.api_meetings.follow_up_update": "updateFollowUp",
    "sikla.planning.api_meetings.follow_up_list": "listFollowUps",
    "sikla.planning.api_plan.plan": "getActionPlan",
    "sikla.planning.api_plan.programme_progress": "createProgrammeProgress",
    # desa/kelurahan layak anak
    "sikla.villages.api.village_list": "listVillages",
    "sikla.villages.api.village_shares": "getVillageShares",
    "sikla.villages.api.village_update": "replaceVillage",
    # partisipasi
    "sikla.participation.api.child_forums": "listChildForums",
    "sikla.participation.api.consultations": "listConsultations",
    "sikla.participation.api.partners": "listPartners",
    "sikla.participation.api.public_consultations": "listPublicConsultations",
    "sikla.participation.api.public_consultation_comment": "createPublicConsultationComment",
    # profil anak dan portal publik
    "sikla.dashboards.api_profile.children_profile": "getChildrenProfile",
    "sikla.dashboards.api_portal.portal_list": "listPortalLocalGovernments",
    "sikla.dashboards.api_portal.portal_detail": "getPortal",
}


def operation_id(view_func, methods) -> str:
    key = f"{view_func.__module__}.{view_func.__name__}"
    try:
        return OPERATION_IDS[key]
    except KeyError:
        raise LookupError(
            f"API operation {key} ({', '.join(methods)}) has no id in sikla/api/operations.py"
        ) from None
