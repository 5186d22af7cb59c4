"""Annex III points 1, 6 and 7: the record that leaves the hub and the public
page keep only what the law makes public; the hub's editors still see all."""

import pytest
from django.test import Client

from cms.aiact.items import WITHHELD_IN_RESTRICTED_AREAS
from federation.models import StoredRecord
from tests.cms.aiact.readiness import complete_fields
from tests.cms.factories import logged_in, project_page, user_in

pytestmark = pytest.mark.django_db

SECRET_TEXTS = {
    "risks": "Wrongful stops of innocent drivers.",
    "methods_and_models": "A neural network matches faces.",
    "source_data": "Camera images of the town square.",
    "supplier": "FaceVendor BV",
    "ai_provider_name": "FaceVendor BV",
}


@pytest.mark.parametrize("area", ["biometrics", "law-enforcement", "migration"])
def test_a_restricted_system_leaves_the_hub_without_the_withheld_fields(area):
    # given a published high-risk project in a restricted area, all filled in
    page = project_page(
        publish=True, **complete_fields(annex_iii_area=area, **SECRET_TEXTS)
    )
    # then its record carries none of the withheld fields (lists stored empty)
    body = StoredRecord.objects.get(record_id=page.record_id).body
    assert {k: body.get(k) for k in WITHHELD_IN_RESTRICTED_AREAS if body.get(k)} == {}
    # and keeps what is public: what it is, its class, oversight and objection
    assert {
        "name": body["name"],
        "aiActClass": body["aiActClass"],
        "annexIiiArea": body["annexIiiArea"],
        "humanIntervention": body["humanIntervention"],
        "objectionProcedure": body["objectionProcedure"],
    } == {
        "name": "Bijstandscheck",
        "aiActClass": "high",
        "annexIiiArea": area,
        "humanIntervention": "A case worker decides every application.",
        "objectionProcedure": "Object within six weeks.",
    }


def test_the_public_page_omits_them_and_the_editor_still_sees_them():
    # given a published law-enforcement system
    page = project_page(
        publish=True,
        **complete_fields(annex_iii_area="law-enforcement", **SECRET_TEXTS),
    )
    # when the public opens its page
    public = Client().get(page.url).content.decode()
    # then none of the withheld texts is there, but the system is
    assert "Bijstandscheck" in public
    for text in (*SECRET_TEXTS.values(), "FRIA: risks acceptable with review."):
        assert text not in public
    # while its editor's checklist still shows the FRIA and the provider
    editor = logged_in(user_in("Editors", username="editor"))
    checklist = editor.get(f"/admin/ai-act/{page.pk}/").content.decode()
    assert "Wrongful refusal of benefits." in checklist
    assert "FaceVendor BV" in checklist


def test_an_unrestricted_system_publishes_its_readiness():
    page = project_page(publish=True, **complete_fields(fria_notified_on=None))
    body = StoredRecord.objects.get(record_id=page.record_id).body
    assert {k: body.get(k) for k in WITHHELD_IN_RESTRICTED_AREAS} == {
        "impactAssessments": [
            {
                "type": "fria",
                "date": "2026-05-04",
                "summary": "FRIA: risks acceptable with review.",
            },
            {
                "type": "dpia",
                "date": "2026-05-04",
                "summary": "DPIA: risks acceptable with review.",
            },
        ],
        "impactAssessmentNotes": None,
        "risks": None,
        "biasAndProtectedAttributes": None,
        "methodsAndModels": None,
        "sourceData": None,
        "sourceDataLinks": [],
        "euDatabaseUrl": "https://ai-act-database.example.eu/systems/7",
        "aiProvider": "Vendor BV",
        "supplier": None,
        "aiActPackageComplete": False,
        "friaPerformed": True,
        "friaNotified": False,
    }
