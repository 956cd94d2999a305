"""About 400 synthetic inmates for the demo programme, the same on every machine and every run.

Names, dates and facts are generated from a fixed seed; nobody here is a real person. A share of
them will not be eligible (EU or Danish nationality, a life sentence, a terrorism conviction, a
serious mental disorder), so that screening has something to refuse.
"""

import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, TextIO

from program.core.demo import register
from program.inmates.models import Country, ExpulsionOrder, Inmate, Judgment, OffenceCategory

SEED = 20220426
COUNT = 400

# Third-country nationalities with the languages their nationals most often speak.
ORIGINS: list[tuple[str, list[str], list[str], list[str]]] = [
    (
        "MA",
        ["Arabic", "French"],
        ["Youssef", "Mohamed", "Karim", "Hamza"],
        ["El Amrani", "Benali", "Tazi"],
    ),
    ("DZ", ["Arabic", "French"], ["Amine", "Rachid", "Sofiane"], ["Bouzid", "Haddad", "Khelifi"]),
    ("TN", ["Arabic", "French"], ["Anis", "Walid", "Mehdi"], ["Trabelsi", "Jaziri", "Gharbi"]),
    ("IQ", ["Arabic", "Kurdish"], ["Ali", "Hussein", "Omar"], ["Al-Jaberi", "Karim", "Saleh"]),
    ("SY", ["Arabic"], ["Ahmad", "Khaled", "Bashar"], ["Haddad", "Shami", "Darwish"]),
    ("AF", ["Dari", "Pashto"], ["Ahmad", "Farid", "Naveed"], ["Rahimi", "Noori", "Safi"]),
    ("SO", ["Somali"], ["Abdi", "Hassan", "Mahad"], ["Warsame", "Farah", "Nur"]),
    ("ER", ["Tigrinya"], ["Yonas", "Dawit", "Filmon"], ["Tesfay", "Gebre", "Kidane"]),
    ("NG", ["English"], ["Chinedu", "Emeka", "Tunde"], ["Okafor", "Adeyemi", "Nwosu"]),
    ("PK", ["Urdu", "Punjabi"], ["Imran", "Bilal", "Usman"], ["Khan", "Butt", "Chaudhry"]),
    ("IR", ["Persian"], ["Reza", "Amir", "Hossein"], ["Ahmadi", "Karimi", "Moradi"]),
    ("TR", ["Turkish"], ["Emre", "Murat", "Serkan"], ["Yilmaz", "Demir", "Kaya"]),
    ("RS", ["Serbian"], ["Marko", "Nikola", "Stefan"], ["Jovanovic", "Petrovic", "Nikolic"]),
    ("AL", ["Albanian"], ["Arben", "Besnik", "Driton"], ["Hoxha", "Krasniqi", "Berisha"]),
    ("VN", ["Vietnamese"], ["Minh", "Tuan", "Duc"], ["Nguyen", "Tran", "Le"]),
    ("LB", ["Arabic"], ["Georges", "Hadi", "Rami"], ["Khoury", "Haddad", "Nassar"]),
    ("GE", ["Georgian", "Russian"], ["Giorgi", "Levan", "Irakli"], ["Beridze", "Kapanadze"]),
    ("UA", ["Ukrainian", "Russian"], ["Oleksandr", "Andriy", "Taras"], ["Shevchenko", "Bondar"]),
]
# Nationalities that make a candidate ineligible (E1 Danish, E2 EU/EEA), for screening to refuse.
INELIGIBLE_ORIGINS: list[tuple[str, list[str], list[str], list[str]]] = [
    ("PL", ["Polish"], ["Piotr", "Tomasz"], ["Kowalski", "Nowak"]),
    ("RO", ["Romanian"], ["Andrei", "Mihai"], ["Popescu", "Ionescu"]),
]
INSTITUTIONS = [
    "Vestre Prison",
    "Nyborg State Prison",
    "East Jutland State Prison",
    "Storstrøm Prison",
    "Renbæk State Prison",
    "Horserød State Prison",
    "Kragskovhede State Prison",
]
COURTS = [
    "Copenhagen City Court",
    "Court of Aarhus",
    "Court of Odense",
    "Court of Glostrup",
    "Eastern High Court",
    "Western High Court",
]
# Readmission is a country's answer, kept as data with its date and source. The demo's answers
# are made up for the demo (not a statement about any real country): most say yes, two are left
# unknown, so that screening has cases to send to review.
DEMO_READMISSION_UNKNOWN = {"ER", "SO"}
DEMO_READMISSION_SOURCE = "Demodata (fiktiv) / demo data (fictional)"
OFFENCES = ["violence", "robbery", "drugs", "property", "fraud", "weapons", "sexual", "trafficking"]


@dataclass(frozen=True)
class _Person:
    case_number: str
    name: str
    date_of_birth: date
    nationality: str
    dual_danish: bool
    languages: list[str]
    interpreter_needed: bool
    readmits: str
    security_level: str
    serious_mental_disorder: bool
    specialist_treatment: bool
    minor_children_visiting: bool
    home_institution: str


@dataclass(frozen=True)
class _Judgment:
    court: str
    judgment_date: date
    final_on: date | None
    sentence_type: str
    length_days: int | None
    remand_days: int
    sentence_start: date
    offences: list[str]

    def columns(self) -> dict[str, Any]:
        """The judgment's own columns: all but the offences, which are a relation."""
        return {name: value for name, value in asdict(self).items() if name != "offences"}


def _person(rng: random.Random, n: int) -> _Person:
    ineligible_nationality = n % 25 == 7
    origin = rng.choice(INELIGIBLE_ORIGINS if ineligible_nationality else ORIGINS)
    code, languages, given, family = origin
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
    return _Person(
        case_number=f"KF-{2021 + n % 5}-{10000 + n:05d}",
        name=f"{rng.choice(given)} {rng.choice(family)}",
        date_of_birth=birth,
        nationality=code,
        dual_danish=n % 67 == 3,
        languages=languages,
        interpreter_needed="English" not in languages and rng.random() < 0.7,
        readmits=rng.choices(["yes", "unknown", "no"], weights=[70, 22, 8])[0],
        security_level=rng.choices(["low", "medium", "high"], weights=[55, 35, 10])[0],
        serious_mental_disorder=n % 41 == 5,
        specialist_treatment=n % 31 == 4,
        minor_children_visiting=n % 13 == 2,
        home_institution=rng.choice(INSTITUTIONS),
    )


def _judgment(rng: random.Random, n: int) -> _Judgment:
    judged = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 800))
    sentence_type = "life" if n % 97 == 11 else ("forvaring" if n % 53 == 9 else "fixed_term")
    length = rng.choice([730, 900, 1095, 1460, 1825, 2190, 2920, 3650])
    return _Judgment(
        court=rng.choice(COURTS),
        judgment_date=judged,
        # A few judgments are still under appeal (not final): "almost eligible" for screening.
        final_on=None if n % 31 == 8 else judged + timedelta(days=rng.randrange(14, 90)),
        sentence_type=sentence_type,
        length_days=length if sentence_type == "fixed_term" else None,
        remand_days=rng.randrange(0, 180),
        sentence_start=judged - timedelta(days=rng.randrange(0, 120)),
        offences=["terrorism"] if n % 71 == 13 else rng.sample(OFFENCES, k=rng.randint(1, 2)),
    )


@register(order=30)
def load(out: TextIO) -> None:
    if Inmate.objects.filter(case_number__startswith="KF-").exists():
        out.write(f"Inmates: {Inmate.objects.count()} (already there)\n")
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data must be reproducible, not secret
    for code, *_rest in ORIGINS:
        if code not in DEMO_READMISSION_UNKNOWN:
            Country.objects.filter(code=code, readmission="unknown").update(
                readmission="yes",
                readmission_as_of=date(2025, 1, 1),
                readmission_source=DEMO_READMISSION_SOURCE,
            )
    countries = {c.code: c for c in Country.objects.all()}
    offences = {o.code: o for o in OffenceCategory.objects.all()}
    for n in range(COUNT):
        person = _person(rng, n)
        inmate = Inmate.objects.create(
            case_number=person.case_number,
            name=person.name,
            date_of_birth=person.date_of_birth,
            sex=Inmate.Sex.MALE,
            languages=person.languages,
            interpreter_needed=person.interpreter_needed,
            country_of_return=countries[person.nationality],
            # The person's own answer only where it differs from the country's: a refusal.
            return_readmits="no" if person.readmits == "no" else "",
            return_readmits_reason=(
                "Landet har afvist at udstede rejsedokument i denne sag (demo)."
                if person.readmits == "no"
                else ""
            ),
            security_level=person.security_level,
            serious_mental_disorder=person.serious_mental_disorder,
            specialist_treatment=person.specialist_treatment,
            minor_children_visiting=person.minor_children_visiting,
            home_institution=person.home_institution,
        )
        nationalities = [countries[person.nationality]]
        if person.dual_danish:
            nationalities.append(countries["DK"])
        inmate.nationalities.set(nationalities)
        facts = _judgment(rng, n)
        judgment = Judgment.objects.create(inmate=inmate, **facts.columns())
        judgment.offence_categories.set([offences[code] for code in facts.offences])
        if n % 23 == 2 and facts.sentence_type == "fixed_term":
            # A newer, shorter sentence served after the first (joint serving): the person's
            # release date is the two together, not the newer one alone.
            Judgment.objects.create(
                inmate=inmate,
                court=facts.court,
                judgment_date=facts.judgment_date + timedelta(days=200),
                final_on=facts.judgment_date + timedelta(days=230),
                sentence_type="fixed_term",
                length_days=120,
                remand_days=0,
                sentence_start=facts.sentence_start + timedelta(days=200),
            )
        if n % 37 != 6:  # a few have no expulsion order yet
            ExpulsionOrder.objects.create(
                inmate=inmate,
                ordered_on=facts.judgment_date,
                final=n % 29 != 4,
                entry_ban_permanent=n % 3 == 0,
                entry_ban_years=None if n % 3 == 0 else 6,
            )
    out.write(f"Inmates: {COUNT} synthetic inmates created\n")
