"""Courses and datasets written for the demo: a handful per hub.

The public data has no courses or datasets, so these are made up - plausible, and
marked as demo content in their title ("(demo)"), their first paragraph and their
keywords. Each hub gets three courses and two datasets, chosen by its position in
the network so that neighbouring hubs offer different things; NL hubs get one
course in Dutch, BE hubs one in French. Download links point to example.org.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hubnet.localnet import HubSpec

MARK = "demo content"
PLACE_NAMES = {
    "eu": "Europe",
    "nl": "the Netherlands",
    "be": "Belgium",
    "nl-nb": "Noord-Brabant",
    "nl-nh": "Noord-Holland",
    "den-bosch": "'s-Hertogenbosch",
    "eindhoven": "Eindhoven",
    "amsterdam": "Amsterdam",
}
NOTICE = {
    "en": "<p><strong>Demo content.</strong> Written for the hubnet demo; this {what} "
    "does not exist.</p>",
    "nl": "<p><strong>Demo-inhoud.</strong> Geschreven voor de hubnet-demo; deze "
    "{what} bestaat niet.</p>",
    "fr": "<p><strong>Contenu de démonstration.</strong> Écrit pour la démo hubnet ; "
    "{what} n'existe pas.</p>",
}
WHAT = {
    ("en", "course"): "course",
    ("en", "dataset"): "dataset",
    ("nl", "course"): "cursus",
    ("fr", "course"): "ce cours",
}


def _place(hub: HubSpec) -> str:
    return PLACE_NAMES.get(hub.slug, hub.name)


def _course(
    hub: HubSpec,
    *,
    title: str,
    text: str,
    language: str = "en",
    **fields: Any,
) -> dict[str, Any]:
    notice = NOTICE[language].format(what=WHAT[(language, "course")])
    return {
        "title": f"{title} (demo)",
        "description": f"{notice}<p>{text}</p>",
        "provider": hub.name,
        "languages": [language],
        **fields,
    }


def _dataset(
    hub: HubSpec, *, key: str, title: str, text: str, formats: list[str], **fields: Any
) -> dict[str, Any]:
    media = {"CSV": "text/csv", "JSON": "application/json", "ZIP": "application/zip"}
    return {
        "title": f"{title} (demo)",
        "description": NOTICE["en"].format(what="dataset") + f"<p>{text}</p>",
        "publisher": hub.name,
        "distributions": [
            {
                "accessUrl": f"https://example.org/hubnet-demo/{hub.slug}/{key}",
                "downloadUrl": (
                    f"https://example.org/hubnet-demo/{hub.slug}/{key}.{fmt.lower()}"
                ),
                "format": fmt,
                "mediaType": media[fmt],
            }
            for fmt in formats
        ],
        **fields,
    }


def _c_literacy(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title=f"AI literacy for civil servants in {_place(hub)}",
        text="Two mornings on what AI systems can and cannot do, how to recognise "
        "them in your own services, and what the AI Act asks of public bodies. "
        "With cases from local government.",
        mode="blended",
        workloadHours=16,
        priceEur=0,
        eqfLevel=5,
        iscedField="0611",
        learningOutcomes="Explain how a machine-learning system reaches an outcome; "
        "recognise AI in procurement; name the obligations for high-risk systems.",
        credential="Certificate of participation",
        targetGroups=["civil-servants"],
        schoolLevel="professional",
    )


def _c_ai_act_smes(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title="Responsible AI and the AI Act for SMEs",
        text="An online course for entrepreneurs who build or buy AI: risk classes, "
        "transparency duties, data governance and a checklist to take home.",
        mode="online",
        workloadHours=8,
        priceEur=0,
        iscedField="041",
        learningOutcomes="Classify an AI product under the AI Act and plan the steps "
        "to comply.",
        targetGroups=["smes", "professionals"],
        schoolLevel="professional",
    )


def _c_vision(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title=f"Computer vision for manufacturing: a bootcamp in {_place(hub)}",
        text="Three days in a field lab: label images from a production line, train "
        "a defect detector and run it on an edge device.",
        mode="on-site",
        workloadHours=24,
        priceEur=450,
        eqfLevel=6,
        iscedField="0613",
        learningOutcomes="Train, evaluate and deploy an image classifier for visual "
        "inspection.",
        credential="Certificate",
        targetGroups=["professionals", "smes"],
        schoolLevel="professional",
    )


def _c_policy(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title="Data and algorithms for policy makers",
        text="A one-day session for council members and policy makers: how to ask "
        "the right questions about algorithms your organisation uses.",
        mode="on-site",
        workloadHours=6,
        priceEur=0,
        iscedField="031",
        targetGroups=["policy-makers", "civil-servants"],
        schoolLevel="professional",
    )


def _c_ml(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title="Introduction to machine learning",
        text="A self-paced course with weekly exercises in Python: regression, "
        "classification, evaluation and fairness.",
        mode="online",
        workloadHours=56,
        priceEur=0,
        eqfLevel=6,
        iscedField="0613",
        learningOutcomes="Build and evaluate simple machine-learning models and "
        "report their limits.",
        credential="Micro-credential (2 ECTS)",
        targetGroups=["students"],
        schoolLevel="bachelor",
    )


def _c_teachers(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title="AI in the classroom: a course for teachers",
        text="For teachers in secondary schools: lesson ideas on how recommender "
        "systems and chatbots work, and how to talk about them with pupils.",
        mode="blended",
        workloadHours=12,
        priceEur=0,
        iscedField="011",
        targetGroups=["professionals"],
        schoolLevel="upper-secondary",
    )


def _c_register(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title="Algorithm registers in practice",
        text="How to describe an algorithm for a public register: purpose, data, "
        "human oversight, risks and how people can object.",
        mode="online",
        workloadHours=4,
        priceEur=0,
        iscedField="041",
        targetGroups=["civil-servants"],
        schoolLevel="professional",
    )


def _c_citizens(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title=f"Generative AI for everyone: evenings in {_place(hub)}",
        text="Three evenings in the public library: try chatbots and image "
        "generators, and learn where they go wrong.",
        mode="on-site",
        workloadHours=6,
        priceEur=25,
        iscedField="0611",
        targetGroups=["citizens"],
    )


def _c_dutch(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title=f"Basiscursus AI voor ambtenaren in {_place(hub)}",
        text="Twee ochtenden over wat AI wel en niet kan, hoe u algoritmes in uw "
        "eigen dienstverlening herkent en wat de AI-verordening van overheden vraagt.",
        language="nl",
        mode="blended",
        workloadHours=8,
        priceEur=0,
        iscedField="0611",
        targetGroups=["civil-servants"],
        schoolLevel="professional",
    )


def _c_french(hub: HubSpec) -> dict[str, Any]:
    return _course(
        hub,
        title="Initiation à l'intelligence artificielle pour les PME",
        text="Une journée pour comprendre ce que l'IA peut apporter à votre "
        "entreprise, avec des exemples concrets et un plan d'action.",
        language="fr",
        mode="on-site",
        workloadHours=7,
        priceEur=0,
        iscedField="041",
        targetGroups=["smes"],
        schoolLevel="professional",
    )


def _d_notifications(hub: HubSpec) -> dict[str, Any]:
    return _dataset(
        hub,
        key="public-space-notifications",
        title=f"Public space notifications in {_place(hub)}",
        text="Reports by residents about the public space (litter, broken street "
        "lights, loose paving), with category, date and neighbourhood. Free text "
        "was removed.",
        formats=["CSV", "JSON"],
        keywords=["public space", "notifications", MARK],
        themes=["GOVE", "REGI"],
        licence="CC-BY-4.0",
        accessRights="public",
        frequency="DAILY",
        personalData="none",
        qualityNotes="Neighbourhoods with many digital reporters are over-represented.",
    )


def _d_traffic(hub: HubSpec) -> dict[str, Any]:
    return _dataset(
        hub,
        key="traffic-counts",
        title=f"Traffic counts in {_place(hub)}",
        text="Hourly counts of cyclists, cars and pedestrians at counting points, "
        "from loops and cameras that store no images.",
        formats=["CSV"],
        keywords=["traffic", "mobility", MARK],
        themes=["TRAN"],
        licence="CC0-1.0",
        accessRights="public",
        frequency="HOURLY",
        personalData="none",
    )


def _d_air(hub: HubSpec) -> dict[str, Any]:
    return _dataset(
        hub,
        key="air-quality",
        title=f"Air quality sensor readings in {_place(hub)}",
        text="Readings of particulate matter (PM2.5, PM10) and NO2 from low-cost "
        "sensors, calibrated against the official measuring stations.",
        formats=["CSV", "JSON"],
        keywords=["air quality", "sensors", MARK],
        themes=["ENVI", "HEAL"],
        licence="CC-BY-4.0",
        accessRights="public",
        frequency="HOURLY",
        personalData="none",
        qualityNotes="Low-cost sensors drift; readings are corrected monthly.",
    )


def _d_litter(hub: HubSpec) -> dict[str, Any]:
    return _dataset(
        hub,
        key="litter-images",
        title="Annotated street images of litter and waste",
        text="Street-level images with bounding boxes for litter, bulky waste and "
        "full containers, for training object detectors. Faces and number plates "
        "are blurred.",
        formats=["ZIP"],
        keywords=["computer vision", "waste", "training data", MARK],
        themes=["ENVI", "TECH"],
        licence="CC-BY-NC-4.0",
        accessRights="restricted",
        b2gSharing=True,
        frequency="IRREG",
        personalData="pseudonymised",
        qualityNotes="Taken in daylight only; busy shopping streets dominate.",
    )


def _d_energy(hub: HubSpec) -> dict[str, Any]:
    return _dataset(
        hub,
        key="building-energy",
        title=f"Energy use of public buildings in {_place(hub)}",
        text="Monthly gas, electricity and heat use of schools, offices and sports "
        "halls, with floor area and year of construction.",
        formats=["CSV"],
        keywords=["energy", "buildings", MARK],
        themes=["ENER", "GOVE"],
        licence="CC-BY-4.0",
        accessRights="public",
        frequency="MONTHLY",
        personalData="none",
    )


def _d_helpdesk(hub: HubSpec) -> dict[str, Any]:
    return _dataset(
        hub,
        key="helpdesk-questions",
        title="Pseudonymised questions to the public help desk",
        text="Questions residents asked by phone and chat, with topic and answer "
        "time, for training a routing model. Available to partners under a data "
        "sharing agreement.",
        formats=["CSV"],
        keywords=["customer contact", "language", MARK],
        themes=["GOVE", "SOCI"],
        accessRights="non-public",
        frequency="MONTHLY",
        personalData="pseudonymised",
        qualityNotes="Questions in languages other than Dutch and English are few.",
    )


COURSES: list[tuple[str, Callable[[HubSpec], dict[str, Any]]]] = [
    ("ai-literacy", _c_literacy),
    ("ai-act-smes", _c_ai_act_smes),
    ("vision-bootcamp", _c_vision),
    ("policy-makers", _c_policy),
    ("machine-learning", _c_ml),
    ("teachers", _c_teachers),
    ("algorithm-registers", _c_register),
    ("generative-ai-citizens", _c_citizens),
]
DATASETS: list[tuple[str, Callable[[HubSpec], dict[str, Any]]]] = [
    ("public-space-notifications", _d_notifications),
    ("traffic-counts", _d_traffic),
    ("air-quality", _d_air),
    ("litter-images", _d_litter),
    ("building-energy", _d_energy),
    ("helpdesk-questions", _d_helpdesk),
]
LOCAL_LANGUAGE_COURSES = {
    "NL": ("ai-basis-nl", _c_dutch),
    "BE": ("ia-pme-fr", _c_french),
}


def _location(hub: HubSpec) -> dict[str, Any] | None:
    location: dict[str, Any] = {"place": _place(hub)}
    if hub.latitude is not None and hub.longitude is not None:
        location["lat"], location["lon"] = hub.latitude, hub.longitude
    if hub.nuts:
        location["nuts"] = [hub.nuts]
    if hub.country:
        location["country"] = hub.country
    return location


def written_items(hub: HubSpec, position: int) -> list:
    """The demo's own courses and datasets for ``hub`` (the ``position``-th hub)."""
    from hubnet.demo.data import SeedItem

    courses = [COURSES[(position + step) % len(COURSES)] for step in (0, 3, 5)]
    if hub.country in LOCAL_LANGUAGE_COURSES:
        courses[0] = LOCAL_LANGUAGE_COURSES[hub.country]
    datasets = [DATASETS[(position + step) % len(DATASETS)] for step in (0, 2)]
    items = []
    for kind, chosen in (("course", courses), ("dataset", datasets)):
        for key, make in chosen:
            body = make(hub)
            body["location"] = _location(hub)
            items.append(
                SeedItem(
                    hub=hub.slug,
                    kind=kind,
                    source=f"demo:{hub.slug}:{kind}:{key}",
                    body=body,
                    language=body.get("languages", ["en"])[0],
                )
            )
    return items
