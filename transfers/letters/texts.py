"""The starting texts of the letter templates: Danish and English, and Arabic for the demo.

A programme's templates are data (LetterTemplate); these texts seed them (the demo, or
`seed_templates` for a new programme) and are then edited in the admin, with history. The
Arabic texts are a working draft: have an authorised translator check them before real use.
"""

from typing import TypedDict

from transfers.letters.models import LetterKind


class Text(TypedDict):
    title: str
    body: str


LABELS: dict[str, dict[str, str]] = {
    "da": {
        "name": "Navn",
        "case_number": "Sagsnummer",
        "date_of_birth": "Fødselsdato",
        "nationality": "Statsborgerskab",
        "institution": "Institution",
        "letter_date": "Dato",
        "case": "Overførselssag",
        "seat": "Nr.",
        "place": "Plads",
        "departs_on": "Afgang",
        "direction": "Rute",
        "escort": "Eskorte",
        "count": "Antal personer",
        "receiver": "Modtagende myndighed",
        "page": "Side",
        "outcome_upheld": "Du får medhold i din klage. Afgørelsen om overførsel er ophævet, "
        "og du bliver ikke overført.",
        "outcome_rejected": "Du får ikke medhold i din klage. Afgørelsen om overførsel "
        "er stadfæstet.",
    },
    "en": {
        "name": "Name",
        "case_number": "Case number",
        "date_of_birth": "Date of birth",
        "nationality": "Nationality",
        "institution": "Institution",
        "letter_date": "Date",
        "case": "Transfer case",
        "seat": "No.",
        "place": "Place",
        "departs_on": "Departure",
        "direction": "Route",
        "escort": "Escort",
        "count": "Persons",
        "receiver": "Receiving authority",
        "page": "Page",
        "outcome_upheld": "Your appeal is upheld. The decision to transfer you is set aside, "
        "and you will not be transferred.",
        "outcome_rejected": "Your appeal is not upheld. The decision to transfer you stands.",
    },
    "ar": {
        "name": "الاسم",
        "case_number": "رقم الملف",
        "date_of_birth": "تاريخ الميلاد",
        "nationality": "الجنسية",
        "institution": "المؤسسة",
        "letter_date": "التاريخ",
        "case": "قضية النقل",
        "page": "صفحة",
        "outcome_upheld": "قُبل طعنك. أُلغي قرار نقلك، ولن يتم نقلك.",
        "outcome_rejected": "رُفض طعنك. قرار نقلك قائم.",
    },
}

_SIGN_DA = "Med venlig hilsen\n\n$caseworker\n$sender"
_SIGN_EN = "Yours sincerely\n\n$caseworker\n$sender"
_SIGN_AR = "مع خالص التحية\n\n$caseworker\n$sender"

TEXTS: dict[str, dict[str, Text]] = {
    LetterKind.TRANSFER_DECISION: {
        "da": {
            "title": "Afgørelse om overførsel til afsoning i Kosovo",
            "body": f"""Kære $name

Kriminalforsorgen har den $decided_on truffet afgørelse om, at du skal overføres til at afsone resten af din straf i $facility.

## Afgørelsen

Afgørelsen er truffet af $authority.

## Begrundelse

$reasons

## Retsgrundlag

Afgørelsen er truffet efter $legal_basis.

## Klagevejledning

Du kan klage over afgørelsen til Direktoratet for Kriminalforsorgen. Klagen skal være modtaget senest den $appeal_deadline, det vil sige $appeal_days dage efter, at du har fået afgørelsen ($notified_on). Du kan klage skriftligt eller mundtligt til personalet i dit fængsel, som sender klagen videre. Du har ret til en tolk.

Du får besked om, hvorvidt overførslen venter på, at klagen er afgjort.

Når klagen er afgjort, kan du klage til Folketingets Ombudsmand.

{_SIGN_DA}""",
        },
        "en": {
            "title": "Decision on transfer to serve your sentence in Kosovo",
            "body": f"""Dear $name

On $decided_on the Danish Prison and Probation Service decided that you will be transferred to serve the rest of your sentence at $facility.

## The decision

The decision was made by $authority.

## Reasons

$reasons

## Legal basis

The decision was made under $legal_basis.

## How to appeal

You may appeal against the decision to the Department of Prisons and Probation. Your appeal must be received no later than $appeal_deadline, that is $appeal_days days after you were given the decision ($notified_on). You may appeal in writing or orally to the staff of your prison, who will pass it on. You have the right to an interpreter.

You will be told whether the transfer waits until your appeal is decided.

Once your appeal is decided, you may complain to the Danish Parliamentary Ombudsman.

{_SIGN_EN}""",
        },
        "ar": {
            "title": "قرار بشأن نقلك لقضاء العقوبة في كوسوفو",
            "body": f"""عزيزي $name

قررت مصلحة السجون والمراقبة الدنماركية بتاريخ $decided_on نقلك لقضاء ما تبقى من عقوبتك في $facility.

## القرار

صدر القرار عن $authority.

## الأسباب

$reasons

## الأساس القانوني

صدر القرار بموجب $legal_basis.

## كيفية الطعن

يمكنك الطعن في هذا القرار أمام مديرية مصلحة السجون والمراقبة. يجب أن يصل الطعن في موعد أقصاه $appeal_deadline، أي خلال $appeal_days يومًا من تاريخ تسلّمك القرار ($notified_on). يمكنك تقديم الطعن كتابيًا أو شفهيًا إلى موظفي السجن الذين سيحيلونه. يحق لك الحصول على مترجم.

سيتم إبلاغك بما إذا كان النقل سينتظر البتّ في طعنك.

بعد البتّ في طعنك، يمكنك تقديم شكوى إلى أمين المظالم البرلماني الدنماركي.

{_SIGN_AR}""",
        },
    },
    LetterKind.NOTIFICATION: {
        "da": {
            "title": "Meddelelse om afgørelse om overførsel",
            "body": f"""Kære $name

Du får hermed meddelelse om Kriminalforsorgens afgørelse af $decided_on om, at du skal overføres til afsoning i $facility. Afgørelsen med begrundelse og klagevejledning er vedlagt.

## Hvad sker der nu

Du har fået meddelelsen den $notified_on. Klagefristen er $appeal_days dage og udløber den $appeal_deadline. Du får besked om tidspunktet for transporten, når den er planlagt.

## Dine rettigheder

Du har ret til at få afgørelsen forklaret på et sprog, du forstår, om nødvendigt med tolk. Du kan kontakte din advokat, dit lands repræsentation og dine pårørende om overførslen. Under afsoningen i Kosovo gælder dansk lov, og du kan klage til danske myndigheder.

## Kvittering

Jeg bekræfter, at jeg har modtaget afgørelsen og denne meddelelse den ______________.

Underskrift: ______________________________

{_SIGN_DA}""",
        },
        "en": {
            "title": "Notification of the decision on transfer",
            "body": f"""Dear $name

You are hereby notified of the decision of the Danish Prison and Probation Service of $decided_on that you will be transferred to serve your sentence at $facility. The decision, with its reasons and how to appeal, is enclosed.

## What happens now

You were notified on $notified_on. The time limit for an appeal is $appeal_days days and ends on $appeal_deadline. You will be told the date of the transport once it is planned.

## Your rights

You have the right to have the decision explained in a language you understand, with an interpreter if needed. You may contact your lawyer, your country's embassy or consulate and your family about the transfer. Danish law applies while you serve your sentence in Kosovo, and you may complain to the Danish authorities.

## Receipt

I confirm that I received the decision and this notification on ______________.

Signature: ______________________________

{_SIGN_EN}""",
        },
        "ar": {
            "title": "إشعار بقرار النقل",
            "body": f"""عزيزي $name

نُبلغك بقرار مصلحة السجون والمراقبة الدنماركية الصادر بتاريخ $decided_on بنقلك لقضاء العقوبة في $facility. مرفق القرار مع أسبابه وطريقة الطعن فيه.

## ماذا سيحدث الآن

تم إبلاغك بتاريخ $notified_on. مهلة الطعن $appeal_days يومًا وتنتهي في $appeal_deadline. سيتم إبلاغك بموعد النقل عندما يتم تحديده.

## حقوقك

يحق لك أن يُشرح لك القرار بلغة تفهمها، بمساعدة مترجم عند الحاجة. يمكنك الاتصال بمحاميك وبسفارة بلدك أو قنصليته وبأسرتك بشأن النقل. يسري القانون الدنماركي أثناء قضاء العقوبة في كوسوفو، ويمكنك تقديم الشكاوى إلى السلطات الدنماركية.

## إيصال

أؤكد أنني تسلمت القرار وهذا الإشعار بتاريخ ______________.

التوقيع: ______________________________

{_SIGN_AR}""",
        },
    },
    LetterKind.NO_TRANSFER_DECISION: {
        "da": {
            "title": "Afgørelse: Du bliver ikke overført til afsoning i Kosovo",
            "body": f"""Kære $name

Kriminalforsorgen har den $decided_on besluttet, at du ikke skal overføres til afsoning i $facility. Du fortsætter afsoningen i Danmark.

## Begrundelse

$reasons

## Retsgrundlag

Afgørelsen er truffet af $authority efter $legal_basis.

## Klagevejledning

Hvis du er uenig i afgørelsen, kan du klage til Direktoratet for Kriminalforsorgen. Personalet i dit fængsel kan hjælpe dig med klagen.

{_SIGN_DA}""",
        },
        "en": {
            "title": "Decision: you will not be transferred to serve your sentence in Kosovo",
            "body": f"""Dear $name

On $decided_on the Danish Prison and Probation Service decided that you will not be transferred to serve your sentence at $facility. You continue to serve your sentence in Denmark.

## Reasons

$reasons

## Legal basis

The decision was made by $authority under $legal_basis.

## How to appeal

If you disagree with the decision, you may appeal to the Department of Prisons and Probation. The staff of your prison can help you with the appeal.

{_SIGN_EN}""",
        },
        "ar": {
            "title": "قرار: لن يتم نقلك لقضاء العقوبة في كوسوفو",
            "body": f"""عزيزي $name

قررت مصلحة السجون والمراقبة الدنماركية بتاريخ $decided_on عدم نقلك لقضاء العقوبة في $facility. ستواصل قضاء عقوبتك في الدنمارك.

## الأسباب

$reasons

## الأساس القانوني

صدر القرار عن $authority بموجب $legal_basis.

## كيفية الطعن

إذا كنت لا توافق على القرار، يمكنك الطعن فيه أمام مديرية مصلحة السجون والمراقبة. يمكن لموظفي السجن مساعدتك في تقديم الطعن.

{_SIGN_AR}""",
        },
    },
    LetterKind.APPEAL_OUTCOME: {
        "da": {
            "title": "Afgørelse i din klage over overførsel",
            "body": f"""Kære $name

Du klagede den $appeal_lodged_on over afgørelsen om at overføre dig til afsoning i $facility. Klagen er afgjort den $appeal_decided_on.

## Resultat

$outcome

## Begrundelse

$reasons

## Videre klagemuligheder

Afgørelsen kan ikke påklages til en anden administrativ myndighed. Du kan klage til Folketingets Ombudsmand inden for 12 måneder, og du kan indbringe sagen for domstolene.

{_SIGN_DA}""",
        },
        "en": {
            "title": "Decision on your appeal against transfer",
            "body": f"""Dear $name

On $appeal_lodged_on you appealed against the decision to transfer you to serve your sentence at $facility. Your appeal was decided on $appeal_decided_on.

## Outcome

$outcome

## Reasons

$reasons

## Further remedies

This decision cannot be appealed to another administrative authority. You may complain to the Danish Parliamentary Ombudsman within 12 months, and you may bring the case before the courts.

{_SIGN_EN}""",
        },
        "ar": {
            "title": "قرار بشأن طعنك في النقل",
            "body": f"""عزيزي $name

قدّمت بتاريخ $appeal_lodged_on طعنًا في قرار نقلك لقضاء العقوبة في $facility. صدر القرار في طعنك بتاريخ $appeal_decided_on.

## النتيجة

$outcome

## الأسباب

$reasons

## إمكانيات أخرى

لا يمكن الطعن في هذا القرار أمام جهة إدارية أخرى. يمكنك تقديم شكوى إلى أمين المظالم البرلماني الدنماركي خلال 12 شهرًا، ويمكنك رفع القضية أمام المحاكم.

{_SIGN_AR}""",
        },
    },
    LetterKind.TRANSPORT_MANIFEST: {
        "da": {
            "title": "Transportliste – afgang $departs_on",
            "body": """Transportliste for overførsel af indsatte til $facility med afgang den $departs_on. Listen er til eskorten og til den modtagende institution og omfatter $count personer.

Listen er fortrolig. Den indeholder personoplysninger og må kun bruges til transporten og modtagelsen.

Udfærdiget af $caseworker, $sender.""",
        },
        "en": {
            "title": "Transport manifest – departure $departs_on",
            "body": """Manifest of the transfer of inmates to $facility departing on $departs_on. It is for the escort and the receiving facility and lists $count persons.

This list is confidential. It holds personal data and may be used only for the transport and the admission.

Prepared by $caseworker, $sender.""",
        },
    },
}
