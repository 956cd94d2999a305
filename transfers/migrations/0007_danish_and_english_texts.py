"""The Danish and English words of the coded reasons and the eligibility rules.

After audit 0004, so that the write history's triggers know the renamed and the new columns and
record these rows as their first version.
"""

import importlib

from django.db import migrations

# (key, English, Danish). Reasons carry {placeholders} for the facts the rule names.
ELIGIBILITY_TEXTS = [
    ("E1.text", "Not a Danish citizen.", "Ikke dansk statsborger."),
    ("E1.source", "Treaty practice; Justice Ministry", "Traktatpraksis; Justitsministeriet"),
    (
        "E2.text",
        "Third-country national: no nationality in the EU/EEA (country list kept as data).",
        "Tredjelandsstatsborger: intet statsborgerskab i et EU/EØS-land (landelisten vedligeholdes som data).",
    ),
    (
        "E2.source",
        "Act L 180 (2022) and the Denmark–Kosovo treaty",
        "Lovforslag L 180 (2022) og traktaten mellem Danmark og Kosovo",
    ),
    (
        "E3.text",
        "The judgment is final on the screening day.",
        "Dommen er endelig på vurderingsdagen.",
    ),
    (
        "E3.source",
        "Act L 180 (2022) and the Denmark–Kosovo treaty",
        "Lovforslag L 180 (2022) og traktaten mellem Danmark og Kosovo",
    ),
    (
        "E4.text",
        "A fixed-term prison sentence or forvaring (if admitted); no life sentence.",
        "Tidsbestemt fængselsstraf eller forvaring (hvis forvaring er tilladt); ikke fængsel på livstid.",
    ),
    (
        "E4.source",
        "Act L 180 (2022) and the Denmark–Kosovo treaty",
        "Lovforslag L 180 (2022) og traktaten mellem Danmark og Kosovo",
    ),
    ("E5.text", "A final expulsion order is in force.", "Der foreligger en endelig udvisning."),
    ("E5.source", "Policy rule", "Politisk fastsat regel"),
    (
        "E6.text",
        "No conviction in the terrorism offence group.",
        "Ingen dom for en lovovertrædelse i gruppen terrorisme.",
    ),
    (
        "E6.source",
        "Act L 180 (2022) and the Denmark–Kosovo treaty",
        "Lovforslag L 180 (2022) og traktaten mellem Danmark og Kosovo",
    ),
    (
        "E7.text",
        "No conviction in the war-crimes offence group.",
        "Ingen dom for en lovovertrædelse i gruppen krigsforbrydelser.",
    ),
    (
        "E7.source",
        "Act L 180 (2022) and the Denmark–Kosovo treaty",
        "Lovforslag L 180 (2022) og traktaten mellem Danmark og Kosovo",
    ),
    (
        "E8.text",
        "No diagnosed serious mental disorder needing treatment outside prison.",
        "Ingen diagnosticeret alvorlig psykisk lidelse, der kræver behandling uden for fængslet.",
    ),
    (
        "E8.source",
        "Act L 180 (2022) and the Denmark–Kosovo treaty",
        "Lovforslag L 180 (2022) og traktaten mellem Danmark og Kosovo",
    ),
    (
        "E9.text",
        "Security level at or below the threshold (non-dangerous).",
        "Sikkerhedsniveau på eller under grænsen (ikke farlig).",
    ),
    ("E9.source", "Kosovo government statements", "Udtalelser fra Kosovos regering"),
    (
        "E10.text",
        "Aged at least the minimum age on the screening day.",
        "Har mindst minimumsalderen på vurderingsdagen.",
    ),
    ("E10.source", "Assumed (Norway, Sweden)", "Antaget (som i Norge og Sverige)"),
    (
        "E11.text",
        "Of a sex admitted (men only by default).",
        "Af et køn, der modtages (som standard kun mænd).",
    ),
    ("E11.source", "Assumed (Norway, Sweden)", "Antaget (som i Norge og Sverige)"),
    (
        "E12.text",
        "At least the minimum days left to serve, to the release or two-thirds date.",
        "Mindst det fastsatte antal dage tilbage af afsoningen, regnet til løsladelsesdatoen eller to tredjedele-tidspunktet.",
    ),
    ("E12.source", "Assumed (ETS 112: 6 months)", "Antaget (ETS 112: 6 måneder)"),
    (
        "E13.text",
        "Sentence no longer than the maximum (off by default).",
        "Straffen er ikke længere end maksimum (slået fra som standard).",
    ),
    ("E13.source", "Kosovo press report (unconfirmed)", "Kosovansk presseomtale (ubekræftet)"),
    (
        "E14.text",
        "Medical needs the host facility can meet.",
        "Helbredsmæssige behov, som værtsfængslet kan dække.",
    ),
    ("E14.source", "Norway precedent", "Norsk præcedens"),
    (
        "E15.text",
        "No minor children in Denmark with regular visits.",
        "Ingen mindreårige børn i Danmark, der jævnligt kommer på besøg.",
    ),
    ("E15.source", "ECHR Art. 8; Norway precedent", "EMRK art. 8; norsk præcedens"),
    (
        "E16.text",
        "A realistic country of return.",
        "Et realistisk land, den indsatte kan udsendes til.",
    ),
    ("E16.source", "Treaty: deportation from Kosovo", "Traktaten: udsendelse fra Kosovo"),
    (
        "E17.text",
        "Occupied and reserved places stay below the cap (ramp-up included) on the decision date.",
        "Belagte og reserverede pladser holder sig under belægningsloftet (indfasningen medregnet) på afgørelsesdagen.",
    ),
    ("E17.source", "Treaty: 300 places; ramp-up", "Traktaten: 300 pladser; indfasning"),
    (
        "E18.text",
        "Consent is not required, but the inmate's opinion is recorded before the decision.",
        "Samtykke kræves ikke, men den indsattes holdning registreres før afgørelsen.",
    ),
    (
        "E18.source",
        "Additional Protocol (ETS 167) analogue",
        "Analogt med tillægsprotokollen (ETS 167)",
    ),
    (
        "E1.fail",
        "Danish citizen: Danish citizens are not sent.",
        "Dansk statsborger: danske statsborgere overføres ikke.",
    ),
    ("E1.pass", "Not a Danish citizen.", "Ikke dansk statsborger."),
    ("E2.fail", "EU/EEA national ({countries}).", "Statsborger i et EU/EØS-land ({countries})."),
    (
        "E2.stateless",
        "No nationality recorded (stateless): not an EU/EEA national.",
        "Intet statsborgerskab registreret (statsløs): ikke statsborger i et EU/EØS-land.",
    ),
    ("E2.pass", "Third-country national ({countries}).", "Tredjelandsstatsborger ({countries})."),
    ("E3.no_judgment", "No judgment recorded.", "Ingen dom registreret."),
    (
        "E3.not_final",
        "The judgment is not final (no date of finality).",
        "Dommen er ikke endelig (ingen dato for endelighed).",
    ),
    (
        "E3.final_later",
        "The judgment becomes final on {date}.",
        "Dommen bliver endelig den {date}.",
    ),
    ("E3.pass", "The judgment is final since {date}.", "Dommen har været endelig siden {date}."),
    ("E4.fixed_term", "Fixed-term prison sentence.", "Tidsbestemt fængselsstraf."),
    ("E4.forvaring", "Forvaring, which is admitted.", "Forvaring, som er tilladt."),
    (
        "E4.forvaring_refused",
        "Forvaring, which is not admitted under the current setting.",
        "Forvaring, som ikke er tilladt efter den gældende indstilling.",
    ),
    ("E4.life", "Life sentence: excluded.", "Fængsel på livstid: udelukket."),
    ("E4.none", "No sentence recorded.", "Ingen straf registreret."),
    ("E5.pass", "A final expulsion order is in force.", "Der foreligger en endelig udvisning."),
    (
        "E5.not_required",
        "No final expulsion order, and the setting does not require one.",
        "Ingen endelig udvisning, og indstillingen kræver ikke en.",
    ),
    ("E5.fail", "No final expulsion order in force.", "Ingen endelig udvisning i kraft."),
    (
        "E6.fail",
        "Convicted of an offence in the terrorism group.",
        "Dømt for en lovovertrædelse i gruppen terrorisme.",
    ),
    ("E6.pass", "No conviction in the terrorism group.", "Ingen dom i gruppen terrorisme."),
    (
        "E7.fail",
        "Convicted of an offence in the war-crimes group.",
        "Dømt for en lovovertrædelse i gruppen krigsforbrydelser.",
    ),
    ("E7.pass", "No conviction in the war-crimes group.", "Ingen dom i gruppen krigsforbrydelser."),
    (
        "E8.fail",
        "Diagnosed serious mental disorder needing treatment outside prison.",
        "Diagnosticeret alvorlig psykisk lidelse, der kræver behandling uden for fængslet.",
    ),
    (
        "E8.pass",
        "No serious mental disorder needing treatment outside prison.",
        "Ingen alvorlig psykisk lidelse, der kræver behandling uden for fængslet.",
    ),
    (
        "E9.fail",
        "Security level {level} is above {max_level}.",
        "Sikkerhedsniveau {level} er over {max_level}.",
    ),
    (
        "E9.pass",
        "Security level {level}, at or below {max_level}.",
        "Sikkerhedsniveau {level}, på eller under {max_level}.",
    ),
    (
        "E10.fail",
        "Under {min_age}; turns {min_age} on {date}.",
        "Under {min_age} år; fylder {min_age} den {date}.",
    ),
    ("E10.pass", "Aged {min_age} or over.", "Mindst {min_age} år."),
    (
        "E11.fail",
        "Sex {sex} is not admitted (admitted: {admitted}).",
        "Køn {sex} modtages ikke (modtages: {admitted}).",
    ),
    ("E11.pass", "Sex {sex} is admitted.", "Køn {sex} modtages."),
    (
        "E12.indefinite",
        "Indefinite sentence: no release date to count to.",
        "Tidsubestemt straf: ingen løsladelsesdato at regne til.",
    ),
    (
        "E12.no_release",
        "No release date: the sentence length is not recorded.",
        "Ingen løsladelsesdato: straffens længde er ikke registreret.",
    ),
    (
        "E12.fail_full_term",
        "{left} days left to the full-term date ({date}); at least {min_days} needed.",
        "{left} dage tilbage til datoen for fuld afsoning ({date}); mindst {min_days} kræves.",
    ),
    (
        "E12.fail_two_thirds",
        "{left} days left to the two-thirds date ({date}); at least {min_days} needed.",
        "{left} dage tilbage til to tredjedele-tidspunktet ({date}); mindst {min_days} kræves.",
    ),
    (
        "E12.pass_full_term",
        "{left} days left to the full-term date ({date}).",
        "{left} dage tilbage til datoen for fuld afsoning ({date}).",
    ),
    (
        "E12.pass_two_thirds",
        "{left} days left to the two-thirds date ({date}).",
        "{left} dage tilbage til to tredjedele-tidspunktet ({date}).",
    ),
    ("E13.off", "Rule switched off.", "Reglen er slået fra."),
    ("E13.not_fixed_term", "Not a fixed-term sentence.", "Ikke en tidsbestemt straf."),
    (
        "E13.fail",
        "Sentence of {days} days exceeds {max_days}.",
        "Straf på {days} dage overstiger {max_days}.",
    ),
    (
        "E13.pass",
        "Sentence of {days} days, at most {max_days}.",
        "Straf på {days} dage, højst {max_days}.",
    ),
    (
        "E14.review",
        "Ongoing specialist treatment: can Gjilan meet the needs?",
        "Igangværende specialiseret behandling: kan Gjilan dække behovet?",
    ),
    ("E14.pass", "No medical needs flagged.", "Ingen helbredsmæssige behov markeret."),
    (
        "E15.review",
        "Minor children in Denmark visit regularly (ECHR Art. 8).",
        "Mindreårige børn i Danmark kommer jævnligt på besøg (EMRK art. 8).",
    ),
    ("E15.pass", "No minor children visiting.", "Ingen mindreårige børn på besøg."),
    ("E16.no_country", "No country of return recorded.", "Intet udsendelsesland registreret."),
    (
        "E16.no_readmission",
        "{country} does not readmit: no realistic return.",
        "{country} tager ikke imod: ingen realistisk udsendelse.",
    ),
    (
        "E16.pass",
        "Country of return {country} (readmits: {readmits}).",
        "Udsendelsesland {country} (tager imod: {readmits}).",
    ),
    (
        "E17.no_agreement",
        "No agreement on record: capacity unknown.",
        "Ingen aftale registreret: kapaciteten er ukendt.",
    ),
    (
        "E17.full",
        "{held} places occupied or reserved of a cap of {cap} on {date}: no free place.",
        "{held} pladser belagt eller reserveret af et belægningsloft på {cap} den {date}: ingen ledig plads.",
    ),
    (
        "E17.pass",
        "{held} of {cap} places held on {date}.",
        "{held} af {cap} pladser optaget den {date}.",
    ),
    (
        "E18.pass",
        "Consent is not required; the inmate's opinion is recorded.",
        "Samtykke kræves ikke; den indsattes holdning er registreret.",
    ),
    (
        "E18.fail",
        "Consent is not required, but the inmate's opinion must be recorded first.",
        "Samtykke kræves ikke, men den indsattes holdning skal registreres først.",
    ),
    (
        "parameter.min_days_left",
        "Minimum days left to serve (E12)",
        "Mindste antal dage tilbage af afsoningen (E12)",
    ),
    (
        "parameter.min_days_left.help",
        "Counted from the screening day to the date chosen below.",
        "Regnet fra vurderingsdagen til den dato, der er valgt nedenfor.",
    ),
    (
        "parameter.days_left_counted_to",
        "Days left counted to (E12)",
        "Dage tilbage regnes til (E12)",
    ),
    (
        "parameter.days_left_counted_to.help",
        "full_term (the expected release date) or two_thirds (the parole date).",
        "full_term (forventet løsladelsesdato) eller two_thirds (prøveløsladelse ved to tredjedele).",
    ),
    ("parameter.min_age", "Minimum age (E10)", "Minimumsalder (E10)"),
    ("parameter.min_age.help", "On the screening day.", "På vurderingsdagen."),
    ("parameter.sexes_admitted", "Sexes admitted (E11)", "Køn, der modtages (E11)"),
    ("parameter.sexes_admitted.help", "Comma-separated: M, F, X.", "Adskilt med komma: M, F, X."),
    ("parameter.forvaring_admitted", "Forvaring admitted (E4)", "Forvaring tilladt (E4)"),
    (
        "parameter.forvaring_admitted.help",
        "Whether forvaring sentences may be sent.",
        "Om indsatte, der er idømt forvaring, kan overføres.",
    ),
    (
        "parameter.expulsion_order_required",
        "Expulsion order required (E5)",
        "Udvisning påkrævet (E5)",
    ),
    (
        "parameter.expulsion_order_required.help",
        "Policy rule; the law itself is broader.",
        "Politisk fastsat regel; selve loven er bredere.",
    ),
    (
        "parameter.max_risk_level",
        "Highest security level admitted (E9)",
        "Højeste sikkerhedsniveau, der modtages (E9)",
    ),
    ("parameter.max_risk_level.help", "low, medium or high.", "low, medium eller high."),
    (
        "parameter.max_sentence_days",
        "Longest sentence admitted in days (E13)",
        "Længste straf, der modtages, i dage (E13)",
    ),
    (
        "parameter.max_sentence_days.help",
        "Empty switches the rule off (the default; the 10-year limit is unconfirmed).",
        "Tom slår reglen fra (standard; grænsen på 10 år er ubekræftet).",
    ),
    ("parameter.appeal_days", "Appeal window (days)", "Klagefrist (dage)"),
    (
        "parameter.appeal_days.help",
        "From the notification to the appeal deadline.",
        "Fra forkyndelsen til klagefristens udløb.",
    ),
    (
        "parameter.appeal_suspends",
        "An appeal suspends the transfer",
        "En klage har opsættende virkning for overførslen",
    ),
    (
        "parameter.appeal_suspends.help",
        "When no, a case under appeal may still be scheduled (the Danish analogue).",
        "Hvis nej, kan en sag under klage stadig sættes på en transport (som i dansk ret).",
    ),
    (
        "parameter.review_interval_days",
        "Periodic review interval (days)",
        "Interval for periodisk revurdering (dage)",
    ),
    (
        "parameter.review_interval_days.help",
        "While serving in Gjilan.",
        "Under afsoningen i Gjilan.",
    ),
    (
        "parameter.release_prep_days",
        "Release preparation starts (days before release)",
        "Løsladelsesforberedelsen begynder (dage før løsladelse)",
    ),
    (
        "parameter.release_prep_days.help",
        "Travel documents, destination acceptance, flight.",
        "Rejsedokumenter, modtagerlandets accept, fly.",
    ),
    ("parameter.reminder_days", "Remind this many days ahead", "Påmind så mange dage i forvejen"),
    ("parameter.reminder_days.help", "For deadline reminders.", "Til påmindelser om frister."),
]

REASON_CODES_DA = {
    "inmate_released_early": "Løsladt eller prøveløsladt i Danmark før overførslen",
    "expulsion_revoked": "Udvisningen er ophævet",
    "new_proceedings": "Ny straffesag i Danmark",
    "medical": "Helbredsmæssige behov, som værtsfængslet ikke kan dække",
    "duplicate": "Oprettet ved en fejl eller dobbeltsag",
    "ineligible_rules": "Opfylder ikke betingelserne for overførsel",
    "host_refused": "Afvist af værtslandet efter dets egen vurdering",
    "family_life": "Familieliv (EMRK art. 8): mindreårige børn på besøg",
    "security_advice": "Sikkerhedsmæssig anbefaling imod overførsel",
    "gate_refusal": "Afvist ved ankomsten til fængslet",
    "return_medical": "Helbredsmæssige årsager",
    "return_expulsion_revoked": "Udvisningen er ophævet",
    "return_court": "Retsmøde i Danmark",
    "return_contract_end": "Aftalens ophør",
    "return_pre_release": "Tilbageførsel før løsladelsesdatoen (regel før løsladelse)",
    "appeal_upheld": "Klagen over overførslen fik medhold",
}


def seed(apps, schema_editor):
    EligibilityText = apps.get_model("transfers", "EligibilityText")
    for key, english, danish in ELIGIBILITY_TEXTS:
        EligibilityText.objects.update_or_create(
            key=key, defaults={"text_en": english, "text_da": danish}
        )
    ReasonCode = apps.get_model("transfers", "ReasonCode")
    for reason in ReasonCode.objects.all():
        # A code added locally has no Danish words yet: it shows its English ones until given.
        reason.label_da = REASON_CODES_DA.get(reason.code, reason.label_en)
        reason.save(update_fields=["label_da"])


def load(apps, schema_editor):
    """The reason codes of 0001 and every text here, in both languages, whatever is there: for
    tests whose reference data a transactional test elsewhere in the run has flushed."""
    initial = importlib.import_module("transfers.migrations.0001_initial")
    ReasonCode = apps.get_model("transfers", "ReasonCode")
    for code, english, applies_to in initial.REASON_CODES:
        ReasonCode.objects.update_or_create(
            code=code,
            defaults={
                "label_en": english,
                "label_da": REASON_CODES_DA[code],
                "applies_to": applies_to,
            },
        )
    seed(apps, schema_editor)


def unseed(apps, schema_editor):
    apps.get_model("transfers", "EligibilityText").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0006_bilingual_reason_codes_and_eligibility_texts"),
        ("audit", "0004_bilingual_reason_codes_and_eligibility_texts_history"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
