"""Extra frames and health statements for the privacy corpus's ``dev`` split, written after the
detector had been tuned on train, by writers who saw neither the detector nor train and test.

An independently written set of prompts carrying personal data, identifiers and health content,
as users of an LLM gateway might send them: emails, chats, forms, CSV rows, JSON, code fixtures,
SMS, notes and tickets. They were written without reference to the detector or to the train and
test frames and health statements of `privacy_templates`, so what a detector scores on them
measures how far its rules generalise rather than how well they fit the wording they were tuned on.

The format is `privacy_templates`'s: a frame block starts ``@slug domain[/group]:`` and runs to
the next ``@``; its lines join with spaces, `` ~ `` is a line break and `` ~~ `` a paragraph
break. Health lines are ``Cs[f] text``: category (M A S G D H), shape (n a note about someone,
i the writer about themself), ``f`` if only about a woman.

The negatives (`NEGATIVE_DEV`) are public prompts, private to no one, yet full of what a naive
detector might take for private data: general health knowledge, aggregate statistics, order,
ticket and tracking numbers, logs, hashes, addresses of memory and machines, near misses. Only
unlabelled slots appear in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["HEALTH_DEV", "NEGATIVE_DEV", "POSITIVE_DEV"]

POSITIVE_DEV: Final[Mapping[str, str]] = MappingProxyType({
"en": """
@dev-referral-letter healthcare/med: Dear colleague, ~ Re: {name}, DOB {dob}, {idlabel} {id} ~~
Thank you for seeing this patient in your clinic. {health}. They are keen to be seen before
{date} if at all possible. ~~ Kind regards, ~ Duty GP, {city} Health Centre ~~ {ask}
@dev-onboarding-json hr/nat: Our HR import keeps rejecting this record with "invalid field".
Can you spot why? ~ {"employee": "{name}", "work_email": "{email}", "start_date": "{date}",
"id_type": "{idlabel}", "national_id": "{id}", "department": "{Finance|Ops|Sales|IT}"}
@dev-passport-renewal travel: I need to renew my passport before a trip to {city} on {date}.
Current passport number is {passport} and it expires in {n:2-5} months. Name exactly as printed:
{name}, born {dob}. Will they let me travel on it, or do I need the new one first?
@dev-lab-export-csv code: This lab export won't load cleanly into pandas and the dates come out
mixed up. What's going on? ~ mrn,patient,collected,test,result ~ {mrn},{name},{date},HbA1c,{n:38-90}
~ {mrn},{name},{date2},eGFR,{n:25-110} ~ {mrn},{name},{date2},ALT,{n:12-140}
@dev-accountant-chat finance/nat: hey quick one, my accountant is asking for my {idlabel} so she
can finish the return. it's {id}. is it ok to just email it to her at {email} or should I
insist on their portal?
@dev-nhs-sms healthcare: Draft SMS: Hi {name}, your appointment at {city} Health Centre is on
{date} at {time}. Please bring photo ID. NHS no. {uk_nhs}. Reply C to cancel. ~~ Can you get this
under 160 characters without losing anything important?
@dev-mbi-appeal insurance: Medicare denied my mom's claim for a {walker|CPAP machine|hospital bed}.
Her MBI is {us_mbi} and her date of birth is {dob}. The letter just says "not medically
necessary". How do we appeal, and what should her doctor write?
@dev-fixture-national-id code/nat: Why does this fixture fail our validator with "checksum
mismatch"? ~ @pytest.fixture ~ def customer(): ~     # {idlabel} ~     return Customer( ~
        name="{name}", ~         national_id="{id}", ~         phone="{phone}", ~     )
@dev-expat-form legal/eu: I'm filling in an English-language residence form for my move to
{city}. It asks for the "national identification number issued by your home country". Is that my
{idlabel} ({id}), or do they mean my passport number {passport}?
@dev-kyc-india finance: KYC for my trading account keeps failing. What I entered: ~ Name: {name}
~ PAN: {in_pan} ~ Aadhaar: {in_aadhaar} ~ Mobile: {phone} ~ The error says "PAN-Aadhaar not
linked". What does that mean and how do I fix it?
@dev-travel-cancellation insurance: Claim form, {company} Travel Cover ~ Policy holder: {name} ~
Passport no.: {passport} ~ Trip: {city}, departing {date} ~ Reason for cancellation: {health} ~~
Please rewrite the reason so it reads more formally.
@dev-ssn-w2 finance: My W-2 from {company} has my social security number wrong. It shows
{us_ssn} but the last four digits on my card are different. Who do I contact first, the
employer or the SSA? Reach me at {phone} if you are drafting the letter for me.
@dev-id-scam-call finance/nat: Got a call saying my {idlabel} {id} was "suspended" and I had to
confirm my date of birth ({dob}) to unlock it. I hung up. Is this a known scam?
@dev-refund-card support: Customer chat transcript: ~ Customer: I was charged twice for order
{A:2}-{z:6}. ~ Customer: Card used was {card}. ~ Customer: Email on the account is {email}. ~~
Write the agent's reply apologising and confirming the refund timeline.
@dev-deposit-bank personal: My old landlord still hasn't returned my deposit. I moved out of
{address} on {date} and sent my bank details ({bank}) twice. Can you write a firm but polite
letter before I take it further?
@dev-rsvp-csv personal: Merge these wedding RSVPs and flag duplicates: ~ name,email,phone,meal ~
{name},{email},{phone},{veg|fish|beef} ~ {name},{email2},{phone},{veg|fish|beef}
@dev-recall-notice automotive: Draft a recall notice to {name}, {address}, owner of a
{Ford Focus|VW Golf|Toyota RAV4|Kia Niro}, reg {A:2}{z:2} {A:3}, VIN {A:3}{z:14}. The airbag
inflator needs replacing. Ask them to book on {phone} or reply to {email}.
@dev-invoice-iban finance: Got this from a supplier: "Invoice {z:5} from {company}: please
transfer {n:150-9800}.{z:2} EUR to IBAN {iban} by {date}, ref INV-{z:6}." They used {email}
instead of the usual address. Could this be invoice fraud?
@dev-home-quote insurance: Home insurance quote request ~ Full name: {name} ~ Date of birth: {dob}
~ Address: {address} ~ Tel: {phone} ~ Year built: {n:1890-2020} ~ Bedrooms: {n:1-5} ~~ Which of
these fields actually affect the premium?
@dev-sql-upsert code: Getting "duplicate key value violates unique constraint users_email_key"
on this: ~ INSERT INTO users (full_name, email, mobile, created_at) VALUES ('{name}', '{email}',
'{phone}', '{ts}'); ~ How do I turn it into an upsert in Postgres?
@dev-delivery-note retail: Can you check this delivery note for typos before I print it? ~
Deliver to: {name}, {address} ~ Contact: {phone} ~ If out, leave with neighbour at no. {n:1-90}.
@dev-week-plan personal: {health_i}. I work {n:3-5} days a week and have two kids. Could you help
me put together a weekly routine that doesn't wipe me out?
@dev-throwaway-post personal: Posting from a throwaway account. {health_i}. Nobody at work knows.
Is it normal to feel this {exhausted|isolated|embarrassed} about it?
@dev-flatmate-worry personal: Worried about my flatmate and not sure what to do. What they told me
last night: {health}. How can I support them without overstepping?
@dev-pupil-adjustments education: One of the students in my Year {n:7-11} class: {health:D}.
What reasonable adjustments could I suggest to the SENCo before the exams?
@dev-symptom-summary healthcare: Help me turn this into a short summary for my next appointment:
{health_i}. Since {date} I've also been {sleeping badly|losing weight|getting headaches}.
@dev-sti-question healthcare: {health_i:S}. How soon can I get retested, and do I have to tell
previous partners myself?
@dev-sick-email hr: To my line manager: ~ Hi, ~ I won't be in until {date}. {health_i}. I'll keep
you posted and can be reached on {phone} if anything urgent comes up. ~ Thanks, ~ {name} ~~ {ask}
@dev-life-disclosure insurance: Life insurance application, medical section. Applicant {name},
born {dob}. Question 14 asks about any ongoing condition. My answer: {health_i}. Do I have to
disclose this, and could it push my premium up?
@dev-pharmacy-log healthcare: [{time}] customer: picking up a repeat prescription for {name}, tel
{phone} ~ [{time}] customer: background: {health} ~ [{time}] customer: can a friend collect next
time? ~~ Summarise what the pharmacist needs to check.
@dev-therapy-booking healthcare: Booking form for a private therapy clinic: ~ Email: {email} ~
Preferred days: {Mon/Wed|Tue/Thu|weekends} ~ What brings you here?: {health_i:M} ~~ Rewrite my
answer so it is clearer but not longer.
@dev-carer-handover healthcare: Handover {date}, {time} ~ - Client: {name} ~ - {health} ~ - NOK:
daughter, mob. {phone} ~ - Meds given as per MAR chart ~~ Tidy this into a paragraph for the next
carer.
@dev-gym-cancel-ticket support: Ticket #{z:6} | from: {email} | subject: can't cancel membership ~
{health_i}, so I can't use the gym any more. I've asked three times to cancel. ~~ Draft the agent's
reply.
@dev-volunteer-consent education: Volunteer trip consent form ~ Participant: {name} ~ DOB: {dob} ~
Medical information: {health} ~ Emergency contact: {phone} ~~ Does anything here need a separate
risk assessment?
@dev-pt-intake personal: PT intake ~ Name: {name} ~ Mob: {phone} ~ Health history: {health_i:H} ~
Goals: {lose weight|run a 10k|get stronger} ~~ Suggest a safe 4-week plan.
@dev-sponsor-text personal: can you help me word a text to my sponsor: "hey it's {name}.
{health_i:A}. can we talk tonight? new number is {phone}"
@dev-genetics-email healthcare: Email to the genetics clinic: ~~ Dear team, ~ {health_i:G}. I'd
like to ask whether my children should be tested too. My details: {name}, {dob}, {email}. ~~ {ask}
@dev-adjustments-minutes hr: Meeting notes, reasonable adjustments ~ Employee: {name} ({email}) ~
Disclosed: {health} ~ Agreed: {hybrid working|a later start time|a quiet desk and headphones} ~
Review on {date} ~~ Turn these into a confirmation email to the employee.
@dev-claim-payload code: This claim payload fails schema validation and I can't see which field
is wrong: ~ {"claimant": "{name}", "dob": "{dob}", "diagnosis_note": "{health}", "amount":
{n:100-5000}}
""",
"de": """
@dev-de-steuer-id finance: Mein Arbeitgeber sagt, in der Lohnabrechnung fehlt meine {idlabel}, sie
lautet {id}. Name: {name}, geb. {dob}. Kann ich das einfach per Mail an {email} schicken, oder
ist das zu unsicher?
@dev-de-arztbrief healthcare: Arztbrief ~ Patient/in: {name}, geb. am {dob} ~ Fall-Nr.: {mrn} ~
Diagnosen: {health} ~~ Bitte in verständliche Sprache übersetzen, ich verstehe die Hälfte nicht.
@dev-de-reisepass travel: Für die Einreise nach {Kanada|Australien|Japan} brauche ich meine
Reisepassnummer. Sie lautet {passport}, ausgestellt in {city}, gültig bis {date}. Reicht das für
den Online-Antrag oder brauche ich noch etwas?
@dev-de-familienkasse legal/eu: Ich helfe meiner Nachbarin bei einem Antrag der Familienkasse.
Sie hat aus ihrem Herkunftsland eine Nummer ({idlabel}: {id}). Gehört die in das Feld
"ausländische Identifikationsnummer"? {ask}
@dev-de-rueckbuchung support: Kundenchat ~ Kunde: Mir wurde die Bestellung {z:8} zweimal
abgebucht. ~ Kunde: Karte: {card} ~ Kunde: Meine Mail ist {email} ~~ Formuliere eine Antwort des
Kundenservice mit Entschuldigung.
@dev-de-kaution personal: Mein früherer Vermieter hat die Kaution immer noch nicht überwiesen.
Wohnung: {address}, Auszug am {date}. Meine IBAN: {iban}. Schreib mir bitte ein bestimmtes, aber
freundliches Mahnschreiben.
@dev-de-werkstatt automotive: Werkstattauftrag ~ Kunde: {name} ~ Tel.: {phone} ~ Kennzeichen:
{A:1}-{A:2} {n:10-9999} ~ Leistung: Inspektion, Bremsbeläge vorne ~ Rückruf bitte unter {phone2}
~~ Schreib daraus eine SMS an den Kunden, dass das Auto fertig ist.
@dev-de-wochenplan personal: {health_i}. Hilf mir bitte, einen machbaren Wochenplan zu erstellen,
der mich nicht überfordert.
@dev-de-kollegium personal: Jemand aus meinem Team hat mir Folgendes anvertraut: {health}. Wie
kann ich die Person im Arbeitsalltag unterstützen, ohne aufdringlich zu sein?
@dev-de-krankmeldung hr: Betreff: Krankmeldung ~~ Liebes Team, ~ {health_i}. Ich bin
voraussichtlich bis {date} nicht im Büro. Erreichbar bin ich unter {phone}. ~~ Viele Grüße ~
{name} ~~ {ask}
@dev-de-pflegeuebergabe healthcare: Übergabe ambulanter Pflegedienst, {date} ~ Klient/in: {name},
{address} ~ {health} ~ Angehörige: Tel. {phone} ~~ Fasse das als kurze Notiz für die Spätschicht
zusammen.
@dev-de-json-fehler code: Warum schlägt json.loads hier fehl? ~ {'name': '{name}',
'geburtsdatum': '{dob}', 'befund': '{health}'}
""",
"fr": """
@dev-fr-cpam healthcare: Bonjour, je n'ai toujours pas reçu le remboursement de ma consultation
du {date}. Mon {idlabel} : {id}. Nom : {name}. Pouvez-vous m'aider à rédiger une réclamation pour
la CPAM ?
@dev-fr-mutuelle-csv code: Ce fichier de la mutuelle ne s'importe pas correctement : ~
nom;nir;date_soins;acte ~ {name};{id};{date};{consultation|radiologie|kinésithérapie} ~~ Pourquoi
Excel transforme-t-il la colonne nir en notation scientifique ?
@dev-fr-passeport travel: Je dois renouveler mon passeport (n° {passport}) avant un voyage à
{city} le {date}. Date de naissance : {dob}. Quels justificatifs faut-il apporter en mairie ?
@dev-fr-compte-rendu healthcare: Compte rendu d'hospitalisation ~ IPP : {mrn} ~ Patient(e) :
{name} ~ Antécédents : {health} ~~ Reformule ceci pour le courrier au médecin traitant.
@dev-fr-double-debit support: Message client : « Bonjour, j'ai été débité deux fois pour la
commande {z:7}. Carte : {card}. Vous pouvez me répondre à {email}. » ~~ Rédige une réponse
d'excuse du service client.
@dev-fr-rib-loyer finance: Voici mon IBAN pour le virement du loyer : {iban}. Le logement est au
{address}. Peux-tu rédiger un mail à mon propriétaire pour mettre en place un virement permanent ?
@dev-fr-sms-colis personal: J'ai reçu ce SMS : « Votre colis n'a pas pu être livré au {address}.
Rappelez le {phone} avant {time}. » C'est une arnaque ?
@dev-fr-organisation personal: {health_i}. Aide-moi à organiser mes semaines pour tenir le coup
au travail sans m'épuiser.
@dev-fr-confidence personal: Une amie m'a confié ceci : {health}. Comment en reparler avec elle
sans la brusquer ?
@dev-fr-arret hr: Objet : arrêt de travail ~~ Bonjour, ~ {health_i}. Je serai absent(e) jusqu'au
{date}. En cas d'urgence, je reste joignable au {phone}. ~~ Cordialement, ~ {name} ~~ {ask}
@dev-fr-entretien hr: Compte rendu d'entretien ~ Salarié(e) : {name} ({email}) ~ Situation :
{health} ~ Aménagements proposés : {télétravail deux jours par semaine|horaires décalés|poste
adapté} ~~ Rédige un courriel de synthèse à envoyer à la personne.
""",
"es": """
@dev-es-dni-banco finance: Para abrir la cuenta me piden el {idlabel}. El mío es {id}. Nombre:
{name}, fecha de nacimiento {dob}, móvil {phone}. ¿Es seguro mandárselo por WhatsApp al gestor?
@dev-es-informe-alta healthcare: Informe de alta ~ NHC: {mrn} ~ Paciente: {name} ~ Juicio
clínico: {health} ~~ Explícamelo con palabras sencillas, por favor.
@dev-es-pasaporte travel: Viajo a {city} el {date} y la aerolínea me pide el número de pasaporte
en la web. El mío es {passport}, a nombre de {name}. ¿Tengo que poner también la fecha de
caducidad?
@dev-es-extranjeria legal: Tengo cita en extranjería el {date}. Mi {idlabel} es {id} y mi
pasaporte es el {passport}. ¿Qué papeles tengo que llevar para renovar la tarjeta?
@dev-es-cobro-doble support: Cliente: me habéis cobrado dos veces el pedido {z:8}. Tarjeta:
{card}. Mi correo es {email}. ~~ Redacta una respuesta del servicio de atención al cliente.
@dev-es-fianza personal: El casero no me devuelve la fianza del piso de {address}. Me fui el
{date} y le pasé mi IBAN ({iban}) dos veces. ¿Me ayudas a escribirle un burofax?
@dev-es-csv-clientes code: Al importar este CSV se me descuadran las columnas: ~
nombre,email,telefono,alta ~ {name},{email},{phone},{date} ~~ ¿Qué estoy haciendo mal?
@dev-es-rutina personal: {health_i}. ¿Me ayudas a organizar la semana sin agotarme?
@dev-es-familiar personal: Alguien de mi familia me ha contado esto: {health}. ¿Cómo puedo
acompañarle sin agobiarle?
@dev-es-baja hr: Mensaje a mi jefa: ~ Hola: ~ {health_i}. El médico me ha dado la baja hasta el
{date}. Si hace falta algo urgente, llámame al {phone}. ~ Un saludo, {name} ~~ {ask}
@dev-es-seguro-salud insurance: Solicitud de seguro de salud ~ Titular: {name} ~ Fecha de
nacimiento: {dob} ~ Enfermedades previas: {health_i} ~~ ¿Tengo que declararlo todo?
""",
"it": """
@dev-it-medico-base healthcare: Sto compilando il modulo per cambiare medico di base a {city}.
Nome: {name}, {idlabel}: {id}, nato/a il {dob}. Manca qualcosa? {ask}
@dev-it-doppio-addebito support: Ho pagato due volte l'ordine n. {z:8} con la carta {card}.
Scrivimi un reclamo da mandare a {email}.
@dev-it-caparra finance: Per la caparra dell'appartamento in {address}, ecco l'IBAN del
proprietario: {iban}. Scadenza del bonifico: {date}. {ask}
""",
"nl": """
@dev-nl-verhuurder legal: De verhuurder vraagt om mijn {idlabel} ({id}) en een kopie van mijn
paspoort ({passport}). Mag dat zomaar? {ask}
@dev-nl-bezorging support: Bezorgadres klopt niet in jullie systeem. Het moet zijn: {name},
{address}. Telefoon voor de bezorger: {phone}. {ask}
@dev-nl-factuur finance: Factuur {z:6} van {company}: graag {n:80-3000} euro overmaken naar
{iban} voor {date}. De afzender is {email}. Is dit betrouwbaar?
""",
"pl": """
@dev-pl-przychodnia healthcare: Rejestracja do przychodni ~ Imię i nazwisko: {name} ~ {idlabel}:
{id} ~ Tel.: {phone} ~ Data wizyty: {date} ~~ {ask}
@dev-pl-zwrot support: Zapłaciłem/am dwa razy za zamówienie {z:9} kartą {card}. Proszę o zwrot.
Kontakt: {email}. {ask}
""",
"pt": """
@dev-pt-cadastro finance: Estou tentando fazer o cadastro na loja online: nome {name}, {idlabel}
{id}, e-mail {email}. O site diz que o CPF é inválido. {ask}
@dev-pt-entrega support: Morada para a entrega: {address}. Telemóvel: {phone}. Podem ligar antes
das {time}? {ask}
""",
"sv": """
@dev-sv-vardcentral healthcare: Jag behöver boka om min tid på vårdcentralen i {city}. Mitt
{idlabel} är {id}, tel {phone}. Kan du skriva ett kort meddelande till dem? {ask}
@dev-sv-faktura finance: Faktura från {company}: betala {n:200-4000} kr till IBAN {iban} senast
{date}. Avsändare: {email}. Är det här ett bedrägeri? {ask}
""",
"no": """
@dev-no-nav legal: Skjemaet fra NAV ber meg fylle inn {idlabel} ({id}). Navn: {name}, adresse:
{address}. {ask}
@dev-no-kort support: Jeg ble trukket to ganger for ordre {z:8} på kortet {card}. Svar meg på
{email}. {ask}
""",
"da": """
@dev-da-laege healthcare: Jeg skal skifte læge, fordi jeg er flyttet til {city}. Mit {idlabel} er
{id}, tlf. {phone}. Skriv en kort besked til klinikken. {ask}
@dev-da-depositum personal: Udlejer har stadig ikke tilbagebetalt depositum for {address}. Mit
IBAN er {iban}. {ask}
""",
"fi": """
@dev-fi-kela legal: Tarkistatko nämä ennen kuin lähetän Kelan hakemuksen? ~ Nimi: {name} ~
Tunnus ({idlabel}): {id} ~ Puhelin: {phone} ~~ {ask}
@dev-fi-palautus support: Minulta veloitettiin tilaus {z:8} kahdesti kortilta {card}.
Sähköposti: {email}. {ask}
""",
})  # fmt: skip

HEALTH_DEV: Final[Mapping[str, str]] = MappingProxyType({
"en": """
Mn Diagnosed with generalised anxiety disorder in {n:2014-2023}, on sertraline {50|100|150} mg
Mn Recurrent depressive disorder, currently under the community mental health team
Mn History of anorexia nervosa, weight still monitored fortnightly by the dietitian
Mn Bipolar I disorder, stable on lithium; last level {f:0.5-0.9:2} mmol/L
Mn Two admissions to an acute psychiatric ward after psychotic episodes, now on clozapine
Mn Referred for EMDR for PTSD following a road traffic collision
Mn Disclosed self-harm at last review; safety plan agreed and crisis line number given
Mn OCD with contamination fears, weekly ERP sessions with a clinical psychologist
Mnf Screened positive for postnatal depression at the {six|eight}-week check
Mi I've had panic attacks most days since {March|the summer|Christmas}
Mi I was diagnosed with bipolar II a couple of years ago and I'm on lamotrigine
Mi I'm on a waiting list for CBT for social anxiety
Mi I've been struggling with bulimia on and off since uni
Mi I had a breakdown last year and spent {n:3-8} weeks in a psychiatric unit
Mi I've been self-harming again and my therapist wants me to tell someone
Mi I got an adult ADHD diagnosis in {n:2019-2024} and I'm on lisdexamfetamine now
Mif I have PMDD and my mood crashes the week before my period
An Alcohol use disorder, completed a {n:7-10}-day inpatient detox in {n:2019-2024}
An On methadone {n:30-90} ml daily through the community drug service
An Problem gambling, self-excluded from all betting sites via GAMSTOP
An Daily cannabis use since adolescence, engaged with a substance misuse team
An Prescribed buprenorphine for opioid dependence, supervised consumption at the pharmacy
An Benzodiazepine dependence after years of diazepam, slow taper agreed
An Smokes {n:15-30} a day, referred to the stop smoking service and started varenicline
An Attends AA twice a week, {n:2-14} months sober
Ai I'm an alcoholic, {n:40-900} days sober, and I still go to meetings every week
Ai I relapsed on cocaine last weekend after {n:2-11} months clean
Ai I've lost about {n:3-40} grand to online casinos this year and can't stop
Ai I'm on a methadone script and have to pick it up daily from the chemist
Ai I've been going to Narcotics Anonymous since I came off heroin
Ai I smoke weed every night to get to sleep and I think I'm dependent on it
Ai I can't get through a morning without vaping and I want to quit nicotine for good
Sn Chlamydia positive on the last screen, treated with doxycycline, partner notification done
Sn On PrEP; three-monthly HIV test and kidney function check due
Sn HIV positive, undetectable viral load on Biktarvy
Sn Couple referred to psychosexual therapy for erectile dysfunction and low desire
Sn Genital herpes with recurrent outbreaks, on suppressive aciclovir
Sn Gonorrhoea treated with ceftriaxone, test of cure booked in two weeks
Snf {n:9-38} weeks pregnant with {her first|her second|twins}, booked at the maternity unit
Snf Second round of IVF, egg collection planned for the next cycle
Snf Perimenopausal, started estradiol patches {n:2-9} months ago
Snf Copper coil fitted at the sexual health clinic in {May|October}
Si I tested positive for gonorrhoea and need to tell my ex
Si I've been on PrEP for about a year
Si My partner and I have been trying to conceive for {n:2-4} years and we start IVF next month
Si I was diagnosed with HIV in {n:2010-2023} and take daily antiretrovirals
Si My partner and I are seeing a psychosexual therapist about erection problems
Si I've just had my first outbreak of genital herpes
Sif I'm {n:6-30} weeks pregnant and haven't told work yet
Sif I had a miscarriage at {n:7-13} weeks last month
Sif I'm going through the menopause and the hot flushes are wrecking my sleep
Sif I had an abortion in {n:2015-2023} and it still affects me
Gn Carries a pathogenic BRCA2 variant; risk-reducing surgery being discussed
Gn Lynch syndrome confirmed on gene panel, on two-yearly colonoscopy
Gn Predictive test positive for Huntington's disease ({n:40-48} CAG repeats)
Gn Cystic fibrosis carrier (F508del), partner to be offered testing
Gn Heterozygous for Factor V Leiden, flagged before any oestrogen-containing medication
Gn Familial hypercholesterolaemia, LDLR variant found through cascade testing
Gn Sickle cell trait confirmed on haemoglobinopathy screening
Gnf NIPT high-chance result for trisomy 21, amniocentesis offered
Gi Genetic testing showed I carry the same BRCA1 mutation as my mum
Gi A DNA kit told me I have two copies of APOE4
Gi We found out at pre-conception screening that I'm a Tay-Sachs carrier
Gi I have hereditary haemochromatosis (C282Y homozygous) and need regular venesections
Gi I have Marfan syndrome, confirmed by a genetic test when I was a teenager
Gi My dad has Huntington's and I've just booked my predictive test
Dn Full-time wheelchair user after a spinal cord injury at T{n:4-12}
Dn Profoundly deaf, uses BSL and needs an interpreter for appointments
Dn Registered severely sight impaired, works with a guide dog
Dn Autistic, with sensory sensitivities; prefers written communication
Dn Mild learning disability, lives in supported accommodation
Dn Below-knee amputee, waiting for a new prosthetic socket
Dn Awarded the enhanced rate of PIP mobility after reassessment
Dn Cerebral palsy (spastic diplegia), walks with crutches, holds a Blue Badge
Di I'm registered blind and use a screen reader for everything
Di I have dyslexia and dyspraxia, so long forms take me ages
Di I'm a full-time wheelchair user and need step-free access everywhere
Di I'm autistic and phone calls make me shut down
Di I have hearing loss in both ears and wear hearing aids, so captions help a lot
Di I've got my PIP reassessment coming up and I'm scared of losing my mobility car
Di I lost my left arm in an accident and I'm learning to use a myoelectric prosthesis
Hn Type 1 diabetic on an insulin pump, last HbA1c {n:48-75} mmol/mol
Hn Hypertension and stage 3 chronic kidney disease, on ramipril
Hn NSTEMI in {n:2018-2024}, two stents placed, on dual antiplatelets
Hn Stage {2|3} bowel cancer, halfway through FOLFOX chemotherapy
Hn Relapsing-remitting MS, recently started ocrelizumab infusions
Hn Severe asthma, two hospital admissions this winter, now on a biologic
Hn Recovering from a total hip replacement, mobilising with a frame
Hn Epilepsy, seizure-free for {n:1-5} years on levetiracetam
Hn Atrial fibrillation, anticoagulated with apixaban
Hi I've got type 2 diabetes and just started on metformin
Hi I had my gallbladder out {n:2-8} weeks ago and I'm still sore
Hi I was diagnosed with Crohn's in my twenties and I'm on adalimumab
Hi I get chronic migraines, about {n:8-20} days a month
Hi I'm halfway through chemo for Hodgkin lymphoma
Hi I've had long Covid since {n:2020-2023} and some days I can barely walk to the shops
Hi I have coeliac disease and got badly glutened at a work lunch
Hi I had a heart attack last year and I'm on four different tablets now
Hif I was diagnosed with breast cancer in {March|June} and I'm booked for a lumpectomy
""",
"de": """
Mn Rezidivierende depressive Störung, aktuell mittelgradige Episode (F33.1)
Mn Seit {n:2015-2023} in ambulanter Psychotherapie wegen einer generalisierten Angststörung
Mn Bipolare Störung, auf Lithium eingestellt, Spiegel zuletzt {f:0.5-0.9:1} mmol/l
Mn Zustand nach stationärer Aufnahme in der Psychiatrie wegen paranoider Schizophrenie
Mn Magersucht in der Jugend, Gewicht wird weiterhin monatlich kontrolliert
Mn PTBS nach einem Überfall, EMDR-Therapie läuft
Mn Zwangsstörung mit Kontrollzwängen, Behandlung mit Fluvoxamin
Mn Selbstverletzendes Verhalten, Krisenplan mit dem sozialpsychiatrischen Dienst vereinbart
Mnf Wochenbettdepression nach der Geburt im {Frühjahr|Herbst}, Begleitung durch die Hebamme
Mi Ich habe seit Monaten Panikattacken und traue mich kaum noch in die S-Bahn
Mi Ich bin wegen einer Depression seit {n:3-12} Wochen krankgeschrieben
Mi Ich nehme seit {n:2-10} Jahren Escitalopram und möchte es jetzt ausschleichen
Mi Bei mir wurde letztes Jahr ADHS festgestellt, ich bekomme Methylphenidat
Mi Ich war {n:6-12} Wochen in einer psychosomatischen Klinik wegen Burnout
Mi Ich habe eine Borderline-Störung und mache gerade eine DBT
Mi Ich kämpfe seit der Schulzeit mit Bulimie
Mif Ich habe eine PMDS und bin vor meiner Periode jedes Mal völlig neben der Spur
An Alkoholabhängigkeit, qualifizierter Entzug {n:2018-2024} abgeschlossen, seitdem abstinent
An In Substitutionsbehandlung mit Methadon ({n:40-100} mg täglich)
An Pathologisches Glücksspiel, Spielersperre über OASIS eingetragen
An Täglicher Cannabiskonsum, Erstgespräch bei der Suchtberatung vereinbart
An Medikamentenabhängigkeit von Tilidin nach einem Bandscheibenvorfall
An Raucht seit Jahren {n:15-30} Zigaretten täglich, Nikotinersatztherapie begonnen
An Besucht wöchentlich eine Gruppe der Anonymen Alkoholiker
Ai Ich bin seit {n:2-9} Jahren trocken und gehe noch regelmäßig zu den AA-Meetings
Ai Ich komme von Crystal Meth nicht los und schäme mich dafür
Ai Ich habe beim Online-Poker {n:5-60}.000 Euro Schulden gemacht
Ai Ich bin im Methadonprogramm und muss jeden Morgen in die Praxis
Ai Ich kiffe jeden Abend, sonst kann ich nicht schlafen
Ai Ich hatte vor drei Wochen einen Rückfall mit Kokain
Ai Ich habe eine Langzeittherapie in einer Suchtklinik hinter mir
Sn Chlamydien-Infektion, mit Doxycyclin behandelt, Partnerbehandlung empfohlen
Sn HIV-positiv seit {n:2008-2022}, unter ART Viruslast unter der Nachweisgrenze
Sn Nimmt PrEP, Quartalskontrolle mit HIV-Test und Nierenwerten steht an
Sn Paarberatung wegen Erektionsstörungen und Libidoverlust
Sn Frühsyphilis, Penicillin-Therapie abgeschlossen
Sn Paar in Kinderwunschbehandlung, zweiter ICSI-Zyklus geplant
Snf Schwanger in der {n:8-36}. SSW, Mutterpass liegt vor
Snf Endometriose, laparoskopisch gesichert
Snf In den Wechseljahren, Hormonersatztherapie mit Östrogengel
Snf Hormonspirale im {Januar|August} eingesetzt
Si Ich habe mich mit Chlamydien angesteckt und muss es meinem letzten Date sagen
Si Ich nehme seit einem Jahr PrEP
Si Ich bin HIV-positiv und unter Therapie nicht mehr ansteckend
Si Mein Partner und ich sind wegen Erektionsproblemen in einer Sexualberatung
Si Wir versuchen seit {n:2-5} Jahren, ein Kind zu bekommen, und fangen jetzt mit IVF an
Si Ich hatte einen Herpes-Ausbruch im Intimbereich
Sif Ich bin in der {n:6-30}. Woche schwanger
Sif Ich hatte letzten Monat eine Fehlgeburt
Sif Ich habe PCOS und nehme deswegen die Pille
Gn BRCA1-Mutation nachgewiesen, prophylaktische Operation wird besprochen
Gn Lynch-Syndrom, Darmspiegelung alle zwei Jahre
Gn Prädiktiver Gentest auf Chorea Huntington positiv
Gn Anlageträgerschaft für Mukoviszidose (F508del) festgestellt
Gn Faktor-V-Leiden-Mutation heterozygot, erhöhtes Thromboserisiko
Gn Familiäre Hypercholesterinämie, genetisch bestätigt
Gn Hereditäre Hämochromatose (HFE C282Y homozygot), regelmäßige Aderlässe
Gnf Auffälliger NIPT auf Trisomie 21, Fruchtwasseruntersuchung angeboten
Gi Ein Gentest hat ergeben, dass ich eine BRCA2-Mutation habe
Gi Bei mir wurde das Marfan-Syndrom genetisch bestätigt
Gi Laut Gentest trage ich eine Anlage für Mukoviszidose
Gi Mein DNA-Test sagt, ich habe zwei Kopien von APOE4
Gi Mein Vater hat Chorea Huntington, und ich überlege, mich testen zu lassen
Gi In meiner Familie gibt es ein Long-QT-Syndrom, und mein Gentest war positiv
Dn Schwerbehindert mit GdB {50|60|70|80}, Merkzeichen G und B
Dn Nach Querschnittlähmung auf den Rollstuhl angewiesen
Dn Gehörlos, kommuniziert in Deutscher Gebärdensprache (DGS)
Dn Hochgradig sehbehindert, nutzt Langstock und Vorlesesoftware
Dn Autismus-Spektrum-Störung, braucht feste Abläufe und eine reizarme Umgebung
Dn Pflegegrad {2|3|4}, Unterstützung im Alltag durch einen ambulanten Dienst
Dn Oberschenkelamputation links, mit einer Prothese versorgt
Dn Lernbehinderung, arbeitet in einer Werkstatt für Menschen mit Behinderung
Di Ich sitze seit einem Unfall im Rollstuhl
Di Ich habe einen Schwerbehindertenausweis mit GdB {50|70}
Di Ich bin im Autismus-Spektrum und Telefonate überfordern mich
Di Ich bin seit Geburt schwerhörig und trage ein Cochlea-Implantat
Di Ich habe Legasthenie und bekomme bei Prüfungen einen Nachteilsausgleich
Di Ich bin fast blind und lasse mir alle Texte vorlesen
Di Mein Antrag auf Erwerbsminderungsrente wegen meiner Behinderung läuft noch
Hn Diabetes mellitus Typ 2, HbA1c zuletzt {f:6.5-9.5:1} %, Metformin
Hn Z. n. Herzinfarkt {n:2016-2024} mit Stentimplantation
Hn Kolonkarzinom, derzeit adjuvante Chemotherapie
Hn Asthma bronchiale, Dauertherapie mit Inhalationsspray
Hn Multiple Sklerose mit schubförmigem Verlauf
Hn Z. n. Knie-TEP rechts, Reha in {n:2-6} Wochen geplant
Hn Vorhofflimmern, Antikoagulation mit Apixaban
Hn Epilepsie, seit {n:1-6} Jahren anfallsfrei unter Lamotrigin
Hn Hashimoto-Thyreoiditis, L-Thyroxin {50|75|100} µg
Hi Ich habe Typ-1-Diabetes und trage eine Insulinpumpe
Hi Mir wurde letzte Woche die Gallenblase entfernt
Hi Ich habe Morbus Crohn und gerade einen Schub
Hi Ich habe seit {n:2020-2023} Long Covid und schaffe kaum einen halben Arbeitstag
Hi Ich bekomme nächste Woche die vierte Chemo wegen eines Lymphoms
Hi Ich habe chronische Migräne und nehme Triptane
Hi Ich habe Bluthochdruck und nehme Ramipril
Hif Ich hatte Brustkrebs und bin jetzt in der Nachsorge
""",
"fr": """
Mn Trouble anxieux généralisé, sous escitalopram {10|20} mg depuis {n:2016-2023}
Mn Épisode dépressif majeur, arrêt de travail prolongé et suivi en CMP
Mn Trouble bipolaire de type I, lithiémie récente à {f:0.5-0.9:2} mmol/l
Mn Antécédent d'hospitalisation sous contrainte pour un épisode psychotique
Mn Anorexie mentale à l'adolescence, suivi nutritionnel toujours en cours
Mn TSPT après un accident de la route, thérapie EMDR en cours
Mn TOC avec rituels de vérification, traitement par fluoxétine
Mn Scarifications signalées au dernier entretien, plan de sécurité établi
Mnf Dépression post-partum diagnostiquée {n:2-6} mois après l'accouchement
Mi Je fais des crises d'angoisse presque tous les jours en ce moment
Mi Je vois une psychiatre depuis {n:2-8} ans pour un trouble bipolaire
Mi J'ai un TDAH diagnostiqué à l'âge adulte et je prends du méthylphénidate
Mi J'ai fait un burn-out l'an dernier et je suis encore sous antidépresseurs
Mi Je souffre de boulimie depuis le lycée
Mi J'ai des idées noires depuis quelques semaines et j'ai enfin pris rendez-vous chez un psy
Mi J'ai un TOC et je vérifie la porte dix fois avant de partir
Mi J'ai passé {n:3-8} semaines en clinique psychiatrique l'année dernière
Mif Je fais une dépression post-partum depuis la naissance de mon bébé
An Dépendance à l'alcool, sevrage hospitalier effectué en {n:2018-2024}
An Traitement de substitution aux opiacés par buprénorphine
An Sous méthadone {n:30-90} mg/j, délivrance quotidienne en pharmacie
An Jeu pathologique, interdiction volontaire de jeux demandée auprès de l'ANJ
An Consommation quotidienne de cannabis, orientation vers une consultation jeunes consommateurs
An Tabagisme à {n:15-40} paquets-années, patchs nicotiniques prescrits
An Suivi en CSAPA pour une addiction à la cocaïne
Ai J'ai arrêté de boire il y a {n:40-900} jours et je vais toujours aux Alcooliques anonymes
Ai J'ai rechuté avec la cocaïne le week-end dernier
Ai J'ai perdu plus de {n:3-50} 000 euros aux paris sportifs cette année
Ai Je suis sous méthadone et je dois passer à la pharmacie tous les jours
Ai Je fume des joints tous les soirs pour arriver à dormir
Ai J'essaie d'arrêter la cigarette électronique et le manque de nicotine est terrible
Ai Je sors d'une cure de désintoxication de {n:4-12} semaines
Sn Chlamydiose traitée par doxycycline, dépistage du partenaire conseillé
Sn Séropositivité VIH connue, charge virale indétectable sous trithérapie
Sn Sous PrEP, bilan trimestriel (sérologie VIH, créatinine) à prévoir
Sn Consultation de sexologie en couple pour troubles de l'érection
Sn Syphilis primaire traitée par benzathine pénicilline
Sn Couple en parcours de PMA, deuxième FIV prévue
Snf Grossesse de {n:8-36} semaines d'aménorrhée, suivi par une sage-femme
Snf Endométriose confirmée par IRM pelvienne
Snf Ménopause, traitement hormonal substitutif débuté récemment
Snf Pose d'un stérilet au cuivre le mois dernier
Si J'ai eu un test positif à la gonorrhée et je dois prévenir mon ex
Si Je prends la PrEP depuis un an
Si Je vis avec le VIH depuis {n:2005-2022}
Si Avec mon partenaire, on consulte un sexologue pour des problèmes d'érection
Si On essaie d'avoir un enfant depuis {n:2-5} ans et on commence une FIV
Si J'ai de l'herpès génital et je fais une poussée en ce moment
Sif Je suis enceinte de {n:2-8} mois et je ne l'ai pas encore dit au travail
Sif J'ai fait une fausse couche le mois dernier
Sif J'ai eu une IVG en {n:2015-2024}
Gn Mutation BRCA1 identifiée, chirurgie prophylactique en discussion
Gn Syndrome de Lynch, coloscopie tous les deux ans
Gn Test présymptomatique positif pour la maladie de Huntington
Gn Statut de porteur sain de la mucoviscidose (F508del)
Gn Hypercholestérolémie familiale confirmée par analyse génétique
Gn Hémochromatose génétique (C282Y homozygote), saignées régulières
Gn Drépanocytose homozygote, plusieurs crises vaso-occlusives par an
Gnf DPNI à risque élevé de trisomie 21, amniocentèse proposée
Gi Mon test génétique a révélé une mutation BRCA2
Gi J'ai le syndrome de Marfan, confirmé par une analyse génétique
Gi Mon père a la maladie de Huntington et j'hésite à faire le test
Gi Le bilan préconceptionnel a montré que je porte une mutation de l'amyotrophie spinale
Gi J'ai une mutation du facteur V Leiden
Gi J'ai le trait drépanocytaire, découvert lors d'un don de sang
Dn Reconnaissance de la qualité de travailleur handicapé (RQTH) obtenue en {n:2015-2024}
Dn Se déplace en fauteuil roulant depuis une lésion médullaire
Dn Personne sourde, communique en LSF, interprète nécessaire
Dn Malvoyance sévère, utilise une canne blanche et un lecteur d'écran
Dn Trouble du spectre de l'autisme, besoin d'un environnement calme
Dn Taux d'incapacité de {50|80} % reconnu par la MDPH, bénéficiaire de l'AAH
Dn Amputation tibiale, appareillage en cours
Dn Déficience intellectuelle légère, travaille en ESAT
Di Je suis en fauteuil roulant et j'ai besoin d'un accès sans marches
Di J'ai une RQTH pour une dyslexie et une dyspraxie
Di J'ai une perte auditive sévère et je porte deux appareils
Di Je suis autiste et les appels téléphoniques me mettent en difficulté
Di J'attends la réponse de la MDPH pour mon dossier AAH
Di J'ai perdu la vue d'un œil et je ne peux plus conduire
Di Je marche avec une canne depuis mon AVC et je ne peux plus monter d'escaliers
Hn Diabète de type 2 sous metformine, HbA1c à {f:6.5-9.5:1} %
Hn Infarctus du myocarde en {n:2015-2024}, deux stents posés
Hn Cancer du côlon, chimiothérapie adjuvante en cours
Hn Asthme sévère, deux passages aux urgences cet hiver
Hn Sclérose en plaques rémittente, traitement de fond par injections
Hn Prothèse totale de hanche posée il y a {n:2-10} semaines
Hn Fibrillation auriculaire sous anticoagulant
Hn Épilepsie stabilisée sous lévétiracétam
Hn Insuffisance rénale chronique stade {3|4}, suivi en néphrologie
Hi J'ai un diabète de type 1 et je porte un capteur de glycémie
Hi Je me suis fait opérer de l'appendicite la semaine dernière
Hi J'ai la maladie de Crohn et je suis en pleine poussée
Hi J'ai un Covid long depuis {n:2020-2023}
Hi Je suis en chimio pour un lymphome
Hi Je fais des migraines chroniques, {n:8-20} jours par mois
Hi J'ai de l'hypertension et je prends un traitement depuis {n:2-15} ans
Hif J'ai eu un cancer du sein et je suis en rémission
""",
"es": """
Mn Trastorno de ansiedad generalizada, en tratamiento con sertralina
Mn Episodio depresivo mayor, de baja laboral y en seguimiento por salud mental
Mn Trastorno bipolar tipo I, litemia reciente de {f:0.5-0.9:2} mEq/l
Mn Ingreso en la unidad de agudos de psiquiatría por un brote psicótico en {n:2016-2024}
Mn Antecedentes de anorexia nerviosa en la adolescencia
Mn TEPT tras una agresión, en terapia EMDR
Mn TOC de comprobación, tratado con fluvoxamina
Mn Autolesiones recientes, plan de seguridad pactado con su psicóloga
Mnf Depresión posparto diagnosticada a los {n:2-6} meses del parto
Mi Tengo ataques de pánico casi a diario desde {enero|el verano|Navidad}
Mi Me diagnosticaron trastorno bipolar hace {n:2-9} años y tomo litio
Mi Tengo TDAH y hace poco empecé con metilfenidato
Mi Estoy de baja por ansiedad desde hace {n:2-10} semanas
Mi Llevo años luchando contra la bulimia
Mi Pasé {n:2-8} semanas en una unidad psiquiátrica el año pasado
Mi Tengo pensamientos de hacerme daño y no sé a quién contárselo
Mi Voy a terapia cognitivo-conductual por un TOC
Mif Desde que nació mi bebé tengo depresión posparto
An Trastorno por consumo de alcohol, desintoxicación hospitalaria completada en {n:2018-2024}
An En programa de mantenimiento con metadona, {n:30-90} mg diarios
An Ludopatía, autoprohibición de acceso al juego solicitada
An Consumo diario de cannabis, derivación a la unidad de conductas adictivas
An Dependencia de benzodiacepinas tras años de lorazepam
An Tabaquismo activo de {n:10-30} cigarrillos al día, inicia vareniclina
An Acude a Alcohólicos Anónimos dos veces por semana
An Seguimiento en el centro de atención a las drogodependencias por consumo de cocaína
Ai Llevo {n:40-900} días sin beber y sigo yendo a las reuniones de AA
Ai Recaí con la cocaína el fin de semana pasado
Ai He perdido más de {n:3-50} 000 euros en apuestas deportivas este año
Ai Estoy en el programa de metadona y tengo que ir cada día al centro
Ai Fumo porros todas las noches para poder dormir
Ai Quiero dejar el vapeo pero no aguanto ni una mañana sin nicotina
Ai Acabo de salir de una comunidad terapéutica tras {n:6-18} meses
Sn Infección por clamidia tratada con doxiciclina, estudio de contactos pendiente
Sn VIH positivo con carga viral indetectable en tratamiento antirretroviral
Sn En PrEP, control trimestral de VIH y función renal
Sn Terapia sexual en pareja por disfunción eréctil
Sn Sífilis secundaria tratada con penicilina benzatina
Sn Pareja en tratamiento de reproducción asistida, segundo ciclo de FIV
Snf Embarazo de {n:8-36} semanas, seguimiento por la matrona
Snf Endometriosis confirmada por laparoscopia
Snf Menopausia, terapia hormonal sustitutiva desde hace {n:2-9} meses
Snf DIU hormonal colocado en {marzo|octubre}
Si Me ha dado positivo en gonorrea y tengo que decírselo a mi ex
Si Tomo la PrEP desde hace un año
Si Vivo con VIH desde {n:2005-2022}
Si Mi pareja y yo vamos a terapia sexual por problemas de erección
Si Llevamos {n:2-5} años buscando un bebé y empezamos con la FIV
Si Tengo herpes genital y ahora mismo estoy con un brote
Sif Estoy embarazada de {n:6-30} semanas y aún no lo he dicho en el trabajo
Sif Tuve un aborto espontáneo el mes pasado
Sif Tengo ovario poliquístico y me está costando quedarme embarazada
Gn Mutación en BRCA2 detectada, se valora cirugía reductora de riesgo
Gn Síndrome de Lynch, colonoscopia cada dos años
Gn Test predictivo positivo para la enfermedad de Huntington
Gn Estado de portador de fibrosis quística (F508del) confirmado
Gn Hipercolesterolemia familiar confirmada por estudio genético
Gn Hemocromatosis hereditaria (C282Y homocigoto), flebotomías periódicas
Gn Síndrome del cromosoma X frágil confirmado en la infancia
Gnf Cribado prenatal de alto riesgo para trisomía 21, se ofrece amniocentesis
Gi El estudio genético confirmó que tengo una mutación en BRCA1, como mi madre
Gi Tengo síndrome de Marfan, confirmado genéticamente
Gi Mi padre tiene Huntington y estoy pensando en hacerme la prueba
Gi Un test de ADN me dijo que tengo dos copias de APOE4
Gi Tengo la mutación del factor V Leiden
Gi Tengo el rasgo falciforme, me lo detectaron al donar sangre
Dn Certificado de discapacidad del {33|45|65} %, movilidad reducida
Dn Usa silla de ruedas tras una lesión medular
Dn Persona sorda, se comunica en lengua de signos, necesita intérprete
Dn Ceguera legal, afiliación a la ONCE, perro guía
Dn Trastorno del espectro autista, necesita rutinas y un entorno tranquilo
Dn Grado {I|II|III} de dependencia reconocido, con ayuda a domicilio
Dn Amputación transfemoral, pendiente de prótesis nueva
Dn Discapacidad intelectual leve, trabaja en un centro especial de empleo
Di Voy en silla de ruedas y necesito acceso sin escalones
Di Tengo reconocida una discapacidad del {33|65} %
Di Soy autista y las llamadas me bloquean
Di Tengo hipoacusia severa y llevo audífonos en los dos oídos
Di Tengo dislexia y necesito más tiempo en los exámenes
Di Estoy esperando la valoración de mi grado de dependencia
Di Perdí la visión de un ojo y ya no puedo conducir
Hn Diabetes tipo 2 en tratamiento con metformina, HbA1c de {f:6.5-9.5:1} %
Hn Infarto agudo de miocardio en {n:2015-2024}, dos stents
Hn Cáncer de colon, en quimioterapia adyuvante
Hn Asma grave con dos ingresos este invierno
Hn Esclerosis múltiple remitente-recurrente en tratamiento con ocrelizumab
Hn Prótesis de rodilla hace {n:2-10} semanas, en rehabilitación
Hn Fibrilación auricular anticoagulada con apixabán
Hn Epilepsia controlada con levetiracetam
Hn Enfermedad renal crónica estadio {3|4}
Hi Tengo diabetes tipo 1 y llevo un sensor de glucosa
Hi Me operaron de la vesícula hace {n:2-8} semanas
Hi Tengo enfermedad de Crohn y estoy con un brote
Hi Tengo COVID persistente desde {n:2020-2023}
Hi Estoy con quimio por un linfoma
Hi Tengo migrañas crónicas, unos {n:8-20} días al mes
Hi Tengo la tensión alta y tomo enalapril
Hif Tuve cáncer de mama y ahora estoy en revisiones
""",
})  # fmt: skip

NEGATIVE_DEV: Final[Mapping[str, str]] = MappingProxyType({
"en": """
@dev-neg-bipolar-signs health: What are the early warning signs of bipolar disorder, and how do
clinicians tell a hypomanic episode apart from an ordinary burst of energy? I am preparing a
{n:20-45}-minute awareness session for volunteers at a community centre in {city}, so I need the
general picture rather than advice about anyone in particular. Is it still at least four
consecutive days for hypomania and seven for mania in DSM-5, and roughly how common is it?
@dev-neg-trial-abstract science: Please tighten this abstract to under 150 words. ~~ Background:
nurse-led telephone follow-up after a heart-failure admission. Methods: pragmatic randomised trial
at {n:12-40} hospitals, n={n:380-940}. Results: 12-month readmission fell from {n:31-38}% to
{n:22-29}% (HR 0.{n:70-79}, 95% CI 0.{n:58-66}–0.{n:88-96}, p=0.0{n:1-4}). Median age
{n:68-76} years, {n:35-48}% women; serious adverse events were similar in both arms.
Conclusion: the approach appears safe and modestly effective.
@dev-neg-lab-ranges health: Turn this into a CSV with the columns analyte, unit, low, high for
the reference table of our lab system (import template v{n:2-4}.{n:0-9}): ~ Haemoglobin, adult
men: 130–170 g/L ~ Haemoglobin, adult women: 120–150 g/L ~ Fasting glucose: 3.9–5.5 mmol/L ~
Potassium: 3.5–5.3 mmol/L ~ TSH: 0.4–4.0 mU/L ~ HbA1c, non-diabetic: below 42 mmol/mol ~ The
ranges were last reviewed on {date} by the quality committee.
@dev-neg-gene-panel health: For a second-year genetics course, explain how a hereditary cancer
gene panel works end to end: capture of a {n:25-120}-gene panel, sequencing at about
{n:150-500}x mean depth, variant calling against GRCh38, and the five ACMG classes. Why do labs
reclassify a share of variants of uncertain significance over the years (one review I read says
about {n:5-15}%), and in which direction do most reclassifications go?
@dev-neg-pregnancy-faq health: Please fact-check this FAQ for a public-health website. ~ Q: How
much folic acid is recommended around pregnancy? A: 400 micrograms a day from before conception
until week 12. ~ Q: How long does a full-term pregnancy last? A: From 37 to 42 weeks; 40 weeks
is the usual estimate. ~ Q: Which foods are best avoided? A: Unpasteurised soft cheese, raw or
undercooked meat, liver and fish high in mercury. ~ Last updated {date}.
@dev-neg-order-email commerce: Hi all, ~ quick status on the delayed shipments. Orders {z:9} and
{z:9} left the {city} warehouse on {date} on {two|three} pallets but are stuck at the hub;
tracking {A:2}{z:9}{A:2} shows "exception, code {n:10-99}". Invoice INV-{n:2023-2025}-{z:5}
from our supplier {company} is on hold until both arrive. I opened ticket OPS-{n:1000-9999};
the carrier now promises delivery by {date2}. ~~ Thanks, ~ Logistics desk ~~ {ask}
@dev-neg-gateway-log logs: Why are these requests timing out? ~ {ts}
10.{n:0-255}.{n:0-255}.{n:1-254} "{GET|HEAD} /api/v3/orders/{z:8} HTTP/1.1" 504
{n:60000-60100}ms ~ {ts} 10.{n:0-255}.{n:0-255}.{n:1-254} "POST /api/v3/records/batch HTTP/1.1" 201
{n:12-400}ms ~ {ts} upstream 172.{n:16-31}.{n:0-255}.{n:1-254}:{n:8000-8999}
connect() failed (111: Connection refused) ~ {ts} worker {n:1000-65000} bound to
address 0.0.0.0:{n:1024-9999}
@dev-neg-ci-commit code: The release pipeline for v{n:1-4}.{n:0-20}.{n:0-30} broke on commit
{x:40}. The artifact check expected sha256 {x:64} and got a different digest, then the test
runner crashed with "segfault at address 0x7f{x:10}, error {n:4-7}". Build {n:10000-99999} on
runner ci-{n:1-40} passed an hour earlier with the same lockfile. What would you check first?
@dev-neg-sensor-json telemetry: This payload from a greenhouse sensor fails schema validation,
can you spot why? ~ {"device": "gh-{x:6}", "mac": "3c:71:bf:{x:2}:{x:2}:{x:2}", "fw":
"{n:1-3}.{n:0-9}.{n:0-20}", "ts": "{ts}", "temp_c": {f:12-34:2}, "rh": "{n:30-95}",
"co2_ppm": {n:380-1600}, "lux": {n:0-60000}}
@dev-neg-feeder-csv data: Plot these readings from the substation feeders and flag anything odd;
the alarm threshold is {n:1000-1200} kW. ~ feeder_id,timestamp,load_kw,voltage_v,pf ~
FDR-{z:4},{ts},{f:120-980:1},{f:228-242:1},0.{n:85-99} ~
FDR-{z:4},{ts},{f:120-980:1},{f:228-242:1},0.{n:85-99} ~
FDR-{z:4},{ts},{f:900-1400:1},{f:215-230:1},0.{n:70-90} ~
FDR-{z:4},{ts},{f:120-980:1},{f:228-242:1},0.{n:85-99}
@dev-neg-market-wrap finance: Write a two-sentence market wrap from these closing figures for
{date}: index {n:7000-8500}.{n:10-99} ({f:-1.5-1.5:2}%), {A:4} {f:20-400:2} (+{f:0.1-6:1}%),
{A:3} {f:5-90:2} (-{f:0.1-6:1}%), EUR/USD {f:1.03-1.18:4}, GBP/EUR {f:1.12-1.21:4}, Brent
${f:68-92:2}, 10-year yield {f:3.5-4.9:2}%. Volume was {n:600-1100} million shares.
@dev-neg-luhn-test code: Our checkout test feeds the payment form the deliberately invalid card
number {badcard}; it must fail the Luhn check and return error PAY-{n:100-499}. A second case
submits the test string {badiban:GB}, whose check digits are wrong on purpose, and expects
IBAN_CHECKSUM. Both pass locally but fail on CI build {n:1000-9999}. Could locale-dependent
whitespace stripping be the cause?
@dev-neg-patient-zero security: Post-incident notes, {date}: patient zero was not a laptop but
the build host ci-runner-{n:1-30} (10.{n:0-255}.{n:0-255}.{n:1-254}), compromised through a
typosquatted package, version {n:1-9}.{n:0-30}.{n:0-30}. The dropper had SHA-1 {x:40} and
beaconed to 203.0.113.{n:1-254}:{n:1024-65535} every {n:30-300} s; {n:3-40} servers were
reimaged. {ask}
@dev-neg-history-born history: Check the numbers in this paragraph for a local museum panel: of
the children born in the parishes around {city} between {n:1840-1855} and {n:1870-1885},
roughly one in {n:3-6} had emigrated by 1910, most of them to North America. The railway arrived
in {n:1856-1875}, the population peaked at {n:8000-40000} in the census of 1891 and did not
recover until the 1960s.
@dev-neg-playlist-street media: Order these for a late-night radio slot and write a one-line
intro for each: "Street Lights of {city}" ({n:2-5}:{n:10-59}), "Road {n:2-99}"
({n:3-6}:{n:10-59}), "Address Unknown" ({n:2-4}:{n:10-59}) and "Born in the Wrong Decade"
({n:3-5}:{n:10-59}), all from a {n:1971-1999} album, catalogue {A:3}-{z:5}, reissued on
{vinyl|CD} with a companion book, ISBN {isbn}.
@dev-neg-nutrition-label food: Check the arithmetic on this label before it goes to print. Per
100 g: energy {n:1500-2100} kJ / {n:360-500} kcal, fat {f:5-30:1} g (of which saturates
{f:1-12:1} g), carbohydrate {f:40-75:1} g, sugars {f:2-30:1} g, fibre {f:2-9:1} g, protein
{f:6-15:1} g, salt {f:0.1-1.8:2} g. EAN 40{z:11}, lot L{z:5}, best before {date}. The kcal
figure should equal kJ divided by 4.184.
@dev-neg-service-accounts config: Review this config for our staging cluster; does anything
look insecure? ~ accounts: ~   - id: svc-ingest-{x:6} ~     role: write ~     quota_gb:
{n:50-500} ~   - id: svc-report-{x:6} ~     role: readonly ~     allowed_cidr:
192.168.{n:0-255}.0/24 ~ listen_address: 0.0.0.0:{n:8000-9000} ~ tls_min_version:
"1.{n:0-3}" ~ record_retention_days: {n:7-400}
@dev-neg-maths-steps maths: Show the steps, please. (a) Is {z:12} divisible by 11? Use the
alternating digit sum. (b) Find the remainder of 7^{n:100-999} modulo {n:1000-9999}. (c) Factor
{n:100000-999999} into primes. (d) Convert 0x{x:8} to decimal and say how many bits it needs.
(e) A lock with {n:4-8} dials of ten digits: how many combinations?
@dev-neg-slang-review review: Rewrite this app-store review in neutral English for our release
notes: "ngl the new build is sick, cold start went from {f:3-6:1} s to {f:0.8-2.5:1} s and record
sync finally works offline. only bug: exporting more than {n:500-5000} records throws error
E{n:100-999} lol. {n:3-5}/5, on version {n:4-7}.{n:0-12}.{n:0-9}"
@dev-neg-grow-lights science: For a horticulture handout: our "light therapy" for winter
seedlings is {n:14-18} h a day of LED light at {n:150-400} µmol/m²/s PPFD, red to blue
{n:3-5}:1, with the lamps {n:25-60} cm above the trays. What daily light integral in mol/m²/day
does that give, and is it too much for basil and lettuce?
@dev-neg2-order-reconcile commerce: Our ERP export prints order numbers in groups, like order 0{z:3}
{z:3} {z:4} or order 0{z:3} {z:3} {z:4}, while the webshop CSV writes the same numbers without
spaces, e.g. 0{z:10}. Write a pandas snippet that normalises both columns, joins the two files on
order number and flags mismatched totals (sample rows: £{n:12-900}.{n:10-99}, £{n:12-900}.{n:10-99},
£{n:1000-4000}.{n:10-99}). Invoice references such as INV {z:4} {z:4} sit in the same column and
should be skipped.
@dev-neg2-stocktake retail: Help me tidy this stock list for the spring stocktake at our {city}
garden centre. The inventory codes begin with 00 because the old till system padded them: 0049 {z:4}
{z:3} hose reel ({n:3-40} in stock), 0044 {z:3} {z:4} watering can ({n:3-60}), 0033 {z:4} {z:3}
terracotta pot 30 cm ({n:20-300}). Bundle kits use the supplier's product-code format with a leading
plus, +{z:2} {z:3} {z:4}. EAN barcodes are 50{z:11}. How do I keep the leading zeros and the plus
when I open the CSV in Excel?
@dev-neg2-away-day travel: Make a clear table for the away-day page of the club newsletter.
Outbound: service {n:1-2}{A:1}{n:10-99} leaves {city} at {time} from platform {n:1-12}, journey time
{n:1-3} h {n:5-55} min, change at {city2} for the onward train. Return: service
{n:1-2}{A:1}{n:10-99} at {time}. Group booking reference {z:4} {z:3} {z:4}, coach {A:1}, seats
{n:1-40} to {n:41-80}, fare £{n:12-60}.{n:10-95} per head. Mention that the booking reference is
needed at the ticket machine.
@dev-neg2-bench-meters telemetry: Our QA lab runs {n:20-60} new electricity meters on a test bench
before they ship. Each log line carries the meter serial in groups plus the register value: ~ {ts}
serial 0{z:2} {z:4} {z:4} {z:3} import_kwh={f:100-99999:3} ~ {ts} serial 0{z:2} {z:4} {z:4} {z:3}
import_kwh={f:100-99999:3} ~ {ts} serial 0{z:2} {z:4} {z:4} {z:3} ERR {n:100-999} ~ Write a regex
that captures the serial (with or without spaces) and the reading, and skips the ERR lines.
@dev-neg2-maths-grouped maths: Please check my worked answers for a number-sense worksheet; the
digits are grouped only to make them readable, and the leading zeros pad each number to ten digits.
(a) 0{z:3} {z:3} {z:3} × 7 (b) Is {z:4} {z:3} {z:4} divisible by 9? (c) What is 0{z:3} {z:3} {z:3}
mod 97? (d) Round {z:3} {z:3} {z:3}.{z:4} to two significant figures. (e) A clock shows {time}: how
many minutes until midnight?
@dev-neg2-container logistics: Summarise this shipment status for the purchasing team: container
{A:3}U {z:7}, seal {z:7}, booking {z:3} {z:3} {z:3}, bill of lading {A:4}{z:8}, vessel voyage
{n:100-999}{A:1}, HS code {z:4}.{z:2}.{z:2}, gross weight {n:8000-28000} kg on {n:10-40} pallets.
The carrier's tracking number is {z:4} {z:4} {z:4}. ETA {date} at the {city} terminal; demurrage
starts after {n:3-7} free days.
@dev-neg2-firewall-list code: Can you turn this allowlist into nftables rules? ~
10.{n:0-255}.{n:0-255}.{n:1-254}:{n:1024-65535} metrics ~
10.{n:0-255}.{n:0-255}.{n:1-254}:{n:1024-65535} queue ~ 192.168.{n:0-255}.{n:1-254}:{n:1024-65535}
cache ~ The service was built from release {n:1-4}.{n:0-20}.{n:0-30}+build.{z:8}, CI job 0{z:4}
{z:6}, crc32 {z:10}, md5 {x:32}. Everything else should be rejected and logged at most {n:5-50}
packets a minute.
@dev-neg2-product-codes finance: Our bookkeeping software keeps flagging catalogue lines as bank
details, because our six-digit product codes are written in pairs and the stock numbers next to them
have eight digits. Examples: product code {z:2}-{z:2}-{z:2}, stock no. {z:8}, A4 ledger binder
£{f:2-30:2}; product code {z:2}-{z:2}-{z:2}, stock no. {z:8}, archive box £{f:2-30:2}. Suggest a
product-code format that nobody will mistake for a sort code, and a migration plan for our
{n:2000-9000} catalogue items.
""",
"de": """
@dev-neg-de-rampe accessibility: Für den Umbau unseres Vereinsheims in {city}: Nach DIN 18040
darf eine Rampe höchstens 6 % Steigung haben, braucht eine nutzbare Breite von mindestens 120 cm
und spätestens nach 6 m Länge ein Zwischenpodest von 150 cm. Der Eingang liegt {n:30-90} cm über
dem Gehweg. Wie lang wird die Rampe insgesamt, wie viele Podeste brauchen wir, und reicht ein
Streifen von {n:8-20} m Länge neben der Treppe?
@dev-neg-de-lieferung commerce: Hallo zusammen, ~ die Lieferung zur Bestellung {z:10} ist am
{date} im Lager {city} eingegangen, aber {n:2-40} von {n:50-400} Kartons hatten
Transportschäden. Charge {A:2}{z:6}, Artikelnummer {z:6}-{z:3}. Beim Spediteur läuft die
Schadensmeldung SM-{n:2023-2025}-{z:4}; eine Gutschrift über {n:200-4000},{n:10-99} € ist
angekündigt. ~~ Viele Grüße ~ Wareneingang ~~ {ask}
@dev-neg-de-fehlerspeicher auto: Diagnose aus der Werkstatt: Der Fehlerspeicher zeigt
P0{n:101-104} (Luftmassenmesser) und P2187, der Kilometerstand liegt bei {n:60000-240000}, die
Kurzzeit-Gemischanpassung im Leerlauf bei +{n:8-25} %. Teilenummer des Sensors {z:3} {z:3}
{z:3} {A:1}. Kann ein gerissener Ansaugschlauch beide Codes erklären, oder sollte man zuerst den
Sensor tauschen?
@dev-neg-de-depression-info health: Woran unterscheidet man eine depressive Episode von
normaler Traurigkeit, und wie lange müssen die Beschwerden nach ICD-11 mindestens anhalten? Ich
schreibe einen Infotext für die Website einer Beratungsstelle in {city}; nach einer bundesweiten
Erhebung erfüllen rund {n:7-11} % der Erwachsenen innerhalb eines Jahres die Kriterien. Bitte
allgemein verständlich und ohne Fachjargon.
@dev-neg-de-bahn travel: Dienstreise fürs Team: Hinfahrt mit ICE {n:500-1699} ab {city} am
{date} um {time}, Fahrzeit {n:2-6} h {n:5-55} min, Wagen {n:1-14}, Gruppenreservierung für
{n:4-12} Plätze. Rückfahrt mit IC {n:2000-2499} am {date2}. Kostenstelle {z:6}, Buchung über
das Firmenkundenportal. Bitte schreib daraus eine kurze Rundmail, mit dem Hinweis, dass die
Zugbindung bei mehr als 20 Minuten Verspätung aufgehoben ist.
@dev-neg2-de-ersatzteile automotive: Kannst du diese Ersatzteilliste für unsere Werkstatt nach
Baugruppen sortieren? Die Teilenummern des Herstellers stehen in Dreiergruppen: Bremsscheibe vorne
{z:3} {z:3} {z:3} {A:1}, Bremsbeläge 0{z:2} {z:3} {z:3}, Ölfilter {z:3} {z:3} {z:3} {A:2},
Zündkerzen 0{z:3} {z:3} {z:3}. Lagerplätze R{n:1-20}-{n:1-9}-{n:1-30}, Bestellnummer beim
Großhändler {z:4} {z:4} {z:2}, Listenpreis gesamt {n:300-4000},{n:10-99} €. Die führenden Nullen
gehören zur Teilenummer.
@dev-neg2-de-pruefstand telemetry: Auf dem Prüfstand der Stadtwerke laufen {n:12-48} neue
Wasserzähler im Dauertest. Die Zählernummern werden mit Leerzeichen exportiert: ~ {ts};0{z:3} {z:4}
{z:3};{f:0-999:3} m³;{n:10-40} °C ~ {ts};0{z:3} {z:4} {z:3};{f:0-999:3} m³;{n:10-40} °C ~
{ts};0{z:3} {z:4} {z:3};Fehler E{n:10-99} ~ Wie lese ich das mit pandas ein, ohne dass die
Zählernummern zu Zahlen werden und die führende Null verlieren?
@dev-neg2-de-ladeliste logistics: Bitte prüfe die Ladeliste für die Tour nach {city} am {date}:
Palette 1, NVE (00) {z:4} {z:4} {z:4} {z:4} {z:2}, Charge {z:3}-{z:4}, {n:200-900} kg; Palette 2,
NVE (00) {z:4} {z:4} {z:4} {z:4} {z:2}, Charge {z:3}-{z:4}, {n:200-900} kg; Palette 3, NVE (00)
{z:4} {z:4} {z:4} {z:4} {z:2}, {n:200-900} kg. Lieferschein {z:4} {z:4} {z:3}, Tour {n:100-999},
Rampe {n:1-24}, Abfahrt {time}. Bleibt die Ladung unter {n:1-3} t?
""",
"fr": """
@dev-neg-fr-notice health: Notice d'un antalgique, rubrique posologie : ~ Adultes et enfants de
plus de {n:12-15} ans : {n:1-2} comprimé(s) de 500 mg, à renouveler si besoin au bout de
{n:4-6} heures minimum. Ne pas dépasser {n:3-4} g par jour. Lot {A:1}{z:5}, à utiliser avant
{n:1-12}/{n:2026-2029}. ~ Peux-tu reformuler ce passage en langage simple pour le site d'une
pharmacie ?
@dev-neg-fr-diabete-stats health: Pour un article de vulgarisation : la prévalence du diabète
traité en France est passée d'environ {n:3-4},{n:0-9} % en {n:2008-2012} à {n:5-6},{n:0-9} % en
{n:2020-2023}, avec des taux plus élevés dans les départements d'outre-mer. Quels facteurs
expliquent cette hausse (vieillissement, dépistage, obésité) et comment présenter ces chiffres
sans stigmatiser personne ?
@dev-neg-fr-facture commerce: Bonjour à tous, ~ la facture FA-{n:2023-2025}-{z:5} de la
société {company} (commande n° {z:8}, {n:2-60} articles) a été payée deux fois le {date}.
Le montant en double, {n:300-9000},{n:10-99} € HT, doit nous être remboursé ; j'ai ouvert le ticket
COMPTA-{n:100-9999}. Pouvez-vous vérifier le relevé fournisseur avant le {date2} ? ~~ Merci, ~
Le service comptabilité
@dev-neg-fr-journal logs: Pourquoi ce service redémarre-t-il en boucle ? ~ {ts} ERROR impossible
de lier l'adresse 0.0.0.0:{n:1024-9999} (adresse déjà utilisée) ~ {ts} WARN enregistrement
{z:9} ignoré : champ « montant » vide ~ {ts} INFO redémarrage n° {n:2-50}, pid {n:1000-65000}
~ {ts} ERROR erreur de segmentation à l'adresse 0x{x:12}
@dev-neg-fr-monument history: Relis ce paragraphe pour une exposition : parmi les hommes nés
dans le canton entre 1890 et 1899, près d'un sur {n:4-7} n'est pas revenu de la guerre. Le
monument aux morts de {city}, inauguré en {n:1920-1925}, porte {n:40-300} noms. Le village
comptait {n:2000-5000} habitants au recensement de 1911 et seulement {n:900-1900} en 1921.
@dev-neg2-fr-references commerce: Notre logiciel de gestion génère des références de commande à dix
chiffres groupés par deux, par exemple 06 {z:2} {z:2} {z:2} {z:2} ou 07 {z:2} {z:2} {z:2} {z:2} (le
préfixe indique l'entrepôt). Plusieurs clients les ont confondues avec des numéros de téléphone.
Propose un nouveau format de référence, avec lettres et tiret, et un tableau de correspondance pour
les {n:500-5000} commandes en cours, dont la commande 06 {z:2} {z:2} {z:2} {z:2} d'un montant de
{n:100-2000},{n:10-99} € TTC.
@dev-neg2-fr-exercice maths: Exercice pour ma classe de 4e, peux-tu vérifier le corrigé ? Les
chiffres sont groupés par deux uniquement pour la lisibilité. 1) Calcule 01 {z:2} {z:2} {z:2} {z:2}
× 3. 2) Le nombre {z:2} {z:2} {z:2} {z:2} {z:2} est-il divisible par 4 ? 3) Donne l'arrondi au
millième de {n:1-99},{z:6}. 4) Un train part à {time} et roule {n:1-4} h {n:5-55} min : à quelle
heure arrive-t-il ?
@dev-neg2-fr-tgv travel: Rédige un mail court pour l'équipe : aller en TGV n° {n:6000-6999} le
{date}, départ de {city} à {time}, voiture {n:1-20}, places {n:10-50} à {n:51-99} ; retour le
surlendemain par le train n° {n:8000-8999}. Numéro de commande groupe {z:3} {z:3} {z:3} {z:3},
référence de dossier {A:6}, budget de {n:800-4000} € pour {n:4-12} personnes. Prévoir d'arriver en
gare {n:15-30} minutes avant le départ.
""",
"es": """
@dev-neg-es-ansiedad health: ¿Qué diferencia hay entre el trastorno de ansiedad generalizada y
el trastorno de pánico? Preparo una charla de {n:30-60} minutos para el profesorado de un
instituto de {city} y quiero explicar los síntomas típicos, cuánto tienen que durar según los
criterios habituales y qué tratamientos tienen más evidencia. Nada de casos concretos, solo una
visión general.
@dev-neg-es-adicciones finance: Nota de prensa del ayuntamiento ({date}): el presupuesto del
programa municipal de prevención de adicciones sube de {n:1-2},{n:1-9} a {n:3-5},{n:1-9}
millones de euros. El año pasado se atendieron {n:900-4000} consultas y la espera media bajó a
{n:7-30} días. El {n:40-70} % de la financiación irá a centros de día. {ask}
@dev-neg-es-vuelos travel: Viaje de trabajo del equipo: el vuelo {A:2}{n:1000-8999} sale de
{city} el {date} a las {time}, terminal {n:1-4}, puerta {A:1}{n:1-60}. La vuelta es en el
{A:2}{n:1000-8999} el {date2}. Si hay un retraso de más de {n:3-5} horas, el Reglamento (CE)
261/2004 da derecho a asistencia. ¿Puedes redactar un correo breve para el equipo con esto?
@dev-neg-es-partido sports: Escribe una crónica breve: el equipo local ganó {n:2-5}-{n:0-1}
ante {n:15000-80000} espectadores; posesión del {n:45-68} %, {n:10-25} tiros ({n:3-10} a
puerta), {n:2-9} córneres y {n:2-5} tarjetas amarillas. Con este resultado suma {n:40-80}
puntos en {n:25-34} jornadas y queda a {n:1-9} del liderato. El próximo partido es el {date} a
las {time}.
@dev-neg-es-mac code: ¿Por qué esta función rechaza la dirección MAC
{x:2}:{x:2}:{x:2}:{x:2}:{x:2}:{x:2} del sensor del almacén? ~ def mac_valida(mac: str) -> bool:
~     partes = mac.split("-") ~     return len(partes) == 6 and all(len(p) == 2 for p in
partes) ~ El firmware {n:1-3}.{n:0-9} envía lecturas cada {n:5-60} s al puerto {n:1024-9999}.
@dev-neg2-es-albaranes logistics: ¿Puedes cuadrar estos albaranes con los pedidos? Nuestro ERP
numera los pedidos con nueve cifras en grupos de tres, empezando por 6: pedido 6{z:2} {z:3} {z:3},
pedido 6{z:2} {z:3} {z:3}, pedido 6{z:2} {z:3} {z:3}. Los albaranes llevan el formato
ALB-{z:4}-{z:5} y los bultos la etiqueta {z:4} {z:4} {z:4}. Se entregaron {n:10-80} bultos en el
almacén de {city} el {date}; faltan {n:1-9}. ¿Qué pedidos están incompletos?
@dev-neg2-es-estacion telemetry: La estación meteorológica del instituto manda estas lecturas y el
panel no las muestra: ~ {ts} sensor 0{z:3}-{z:6} temp={f:-5-38:1} hum={n:20-99} ~ {ts} sensor
0{z:3}-{z:6} temp={f:-5-38:1} hum={n:20-99} ~ {ts} sensor 0{z:3}-{z:6} presion={f:980-1040:1} ~ El
identificador del sensor lleva el cero inicial del fabricante. ¿Por qué el parser en JavaScript lo
convierte en número y pierde el cero? Firmware {n:1-3}.{n:0-9}.{n:0-20}.
@dev-neg2-es-ferreteria retail: Suma estas líneas de una factura de ferretería y calcula el IVA del
21 %. Los códigos de producto tienen nueve cifras en grupos de tres: 9{z:2} {z:3} {z:3} tornillos
(caja de {n:100-500}) {n:3-19},{n:10-99} €; 9{z:2} {z:3} {z:3} taladro {n:40-149},{n:10-99} €;
8{z:2} {z:3} {z:3} cinta métrica {n:4-14},{n:10-99} €. Factura n.º {n:2023-2025}/{z:6}, EAN del
taladro 84{z:11}. Redondea a dos decimales.
""",
"it": """
@dev-neg-it-nati data: Controlla questi dati per un articolo: nel {n:2019-2023} i nati nel
comune di {city} sono stati {n:100-600}, il {n:8-20} % in meno rispetto al {n:2008-2012}, e il
tasso di natalità è sceso a {n:5-7},{n:0-9} nati ogni mille abitanti. La popolazione residente
al {date} era di {n:20000-90000} persone. Sono coerenti tra loro?
@dev-neg-it-server logs: Il servizio non risponde dopo l'aggiornamento alla versione
{n:2-5}.{n:0-20}.{n:0-9}: ~ {ts} ERRORE indirizzo 10.{n:0-255}.{n:0-255}.{n:1-254}:{n:1024-9999}
non raggiungibile ~ {ts} AVVISO coda "ordini" con {n:100-9000} messaggi in attesa ~ {ts} ERRORE
record {z:10} duplicato, codice {n:400-599}. ~ Cosa controllo per primo?
@dev-neg2-it-magazzino retail: Sistema questo elenco per l'inventario del magazzino di {city}. I
codici articolo interni iniziano con lo zero e sono divisi in gruppi: 0{z:2} {z:7} piastrelle 30x60
({n:10-400} scatole), 0{z:3} {z:6} colla per piastrelle ({n:5-90} sacchi), 0{z:2} {z:8} stucco
grigio ({n:5-90} confezioni). Lotto {A:1}{z:6}, DDT n. {z:4}/{n:2023-2025}. Come li importo in Excel
senza perdere lo zero iniziale?
""",
"nl": """
@dev-neg-nl-fietsroute travel: Maak hier een korte routebeschrijving van voor de nieuwsbrief
van de fietsclub: start bij het station van {city}, dan knooppunten {n:1-99} – {n:1-99} –
{n:1-99} – {n:1-99} – {n:1-99}, in totaal {n:35-90} km en {n:80-400} hoogtemeters, koffiestop
na {n:20-40} km. Vertrek op {date} om {time}; bij windkracht {n:6-7} of meer gaat de tocht niet
door.
@dev-neg-nl-griepprik health: Algemene tekst voor een folder van de gemeente {city}: de
griepprik wordt elk najaar aangeboden aan iedereen van 60 jaar en ouder en aan mensen met
bepaalde chronische aandoeningen. Vorig seizoen was de vaccinatiegraad bij 60-plussers
{n:45-65},{n:0-9} %. De bescherming begint ongeveer twee weken na de prik en houdt één seizoen
aan. Klopt dit zo, en kan het eenvoudiger?
@dev-neg2-nl-bestelnummers commerce: Ons oude kassasysteem zet het filiaalnummer vóór elk
bestelnummer, dus alles uit filiaal 6 begint met 06: 06-{z:8}, 06-{z:8}, 06-{z:8}. Het nieuwe
systeem wil bestelnummers zonder streepje en zonder voorloopnul. Schrijf een SQL-query die de
{n:2000-20000} oude nummers omzet, en controleer of bestelling 06-{z:8} (totaal €
{n:20-900},{n:10-99}) daarna nog te vinden is.
@dev-neg2-nl-dienstregeling travel: Zet deze reis om in een overzicht voor de teamdag: intercity
{n:500-3999} vertrekt om {time} van spoor {n:1-15}{a|b} in {city}, overstappen in {city2} op
sprinter {n:4000-9999}. Reistijd {n:1-2} uur en {n:5-55} minuten. Terug met intercity {n:500-3999}
om {time}. Groepsticket {z:4} {z:4} {z:4} {z:2}, {n:6-20} personen, € {n:80-400},{n:10-99} in
totaal.
@dev-neg2-nl-unittest code: Deze unittest faalt en ik zie niet waarom: ~ def test_artikelnummer(): ~
assert len(normaliseer("0{z:2} {z:3} {z:4}")) == 10 ~ Het artikelnummer moet de voorloopnul houden
en alle spaties kwijtraken; in productie zijn het {n:7-12} cijfers, gegroepeerd per drie of vier.
Build {n:1000-9999}, Python 3.{n:10-13}, testrun {x:8}.
""",
"pl": """
@dev-neg-pl-lotto data: Wyniki losowania Lotto z dnia {date}: {n:1-8}, {n:9-16}, {n:17-24},
{n:25-32}, {n:33-40}, {n:41-49}. Łączna pula wygranych wyniosła {n:5-40} {z:3} {z:3} zł, a
trafień „szóstki” było {n:0-2}. Numer losowania {n:6000-7500}. Napisz krótką notkę do serwisu z
wynikami, bez zachęcania do gry.
@dev-neg2-pl-partie logistics: Pomóż mi uporządkować listę dostaw do naszego magazynu (lokalizacja:
{city}). Numery partii mają dziewięć cyfr w grupach po trzy: {z:3} {z:3} {z:3} (śruby M8,
{n:100-900} kg), {z:3} {z:3} {z:3} (podkładki, {n:50-400} kg), {z:3} {z:3} {z:3} (nakrętki,
{n:50-400} kg). Numer listu przewozowego {z:4} {z:4} {z:4}, zamówienie ZAM/{n:2023-2025}/{z:5},
dostawa {date}. Ile ton przyjedzie łącznie?
""",
"pt": """
@dev-neg-pt-dengue health: Quais são os sinais de alarme da dengue e quando se deve procurar
atendimento? Estou a preparar um folheto para uma campanha em {city}; no último boletim
epidemiológico a incidência foi de {n:120-900} casos por 100 mil habitantes, com {n:40-90} % dos
casos entre março e maio. Também queria explicar em linguagem simples porque é que uma segunda
infeção pode ser mais grave.
@dev-neg2-pt-envios logistics: Preciso de um resumo para a equipa do armazém: as referências de
envio do nosso sistema têm nove dígitos em grupos de três e começam por 9, por exemplo 9{z:2} {z:3}
{z:3} e 9{z:2} {z:3} {z:3}. O contentor {A:3}U {z:7} chega ao porto de Leixões em {date} com
{n:10-30} paletes; código pautal {z:4}.{z:2}.{z:2}, peso bruto {n:5000-24000} kg. Fatura FT
{n:2023-2025}/{z:5}, total {n:1000-90000},{n:10-99} €.
""",
"sv": """
@dev-neg-sv-elpris data: Spotpris i elområde SE3 den {date}, öre/kWh: 00–06 {n:5-60}, 06–09
{n:80-300}, 09–16 {n:40-180}, 16–20 {n:120-400}, 20–24 {n:20-120}. Vår bussdepå i {city} har
{n:8-40} laddpunkter på {n:50-150} kW. Vilka timmar bör vi schemalägga laddningen för att hålla
snittpriset under {n:60-90} öre/kWh? {ask}
@dev-neg2-sv-plocklista retail: Kan du sortera den här plocklistan för järnhandeln i {city} efter
hyllplats? Artikelnumren följer leverantörens format med grupper: 07{n:0-9}-{z:3} {z:2} {z:2}
skruvdragare, 07{n:0-9}-{z:3} {z:2} {z:2} borrsats, 08-{z:3} {z:2} {z:2} vinkelhake. Hyllplatser
H{n:1-30}:{n:1-8}, order {z:4} {z:4}, totalt {n:500-9000} kr inklusive moms. Artikelnumren ska stå
kvar exakt som de är skrivna.
""",
"no": """
@dev-neg-no-rusbudsjett finance: Kommunestyret i {city} behandlet budsjettet {date}: rammen for
rusomsorg og forebygging øker fra {n:12-30},{n:1-9} til {n:31-45},{n:1-9} millioner kroner.
Lavterskeltilbudet hadde {n:800-3500} henvendelser i fjor, og den gjennomsnittlige ventetiden
falt til {n:5-21} dager. {ask}
@dev-neg2-no-frakt logistics: Lag en kort statusmelding til lageret: sendingen med fraktbrevnummer
{z:3} {z:2} {z:3} og kollinumrene {z:3} {z:2} {z:3}, {z:3} {z:2} {z:3} og {z:3} {z:2} {z:3} ble
levert i {city} {date}. Ordrenummer {z:4} {z:4}, vekt {n:100-2000} kg, {n:2-12} paller. Numrene er
skrevet i grupper på tre, to og tre sifre, slik transportøren bruker dem.
""",
"da": """
@dev-neg-da-build code: Hvorfor fejler vores build nu? Commit {x:40} på grenen
release-{n:1-9}.{n:0-20}, pipeline nr. {n:1000-99999}: ~ error: segmenteringsfejl ved adresse
0x{x:12} ~ test_records: {n:1-40} af {n:200-900} tests fejlede ~ image sha256:{x:64} ~ Den
samme lockfil byggede fint den {date}. Hvad bør vi undersøge først?
@dev-neg2-da-varenumre retail: Kan du lave en prisliste til vores webshop ud fra de her varenumre?
Varenumrene er otte cifre skrevet i par: {z:2} {z:2} {z:2} {z:2} cykelhjelm {n:299-899} kr., {z:2}
{z:2} {z:2} {z:2} cykellygte {n:99-399} kr., {z:2} {z:2} {z:2} {z:2} lappegrej {n:49-199} kr. EAN
57{z:11}. Giv {n:5-25} % rabat på det hele i uge {n:1-52}, og rund ned til nærmeste hele krone.
""",
"fi": """
@dev-neg-fi-liiga sports: Kirjoita lyhyt otteluraportti: kotijoukkue voitti {n:3-6}–{n:0-2},
laukaukset {n:25-45}–{n:15-30}, yleisöä {n:3000-13000}. Ylivoimamaalit {n:0-3}/{n:3-6},
jäähyminuutit {n:4-20}–{n:4-20}. Sarjataulukossa joukkue on nyt {n:1-15}. sijalla
{n:40-110} pisteellä {n:40-60} ottelusta. Seuraava ottelu pelataan {date} klo {time}.
@dev-neg2-fi-anturit telemetry: Tehtaan linjalla {n:1-9} on {n:10-60} lämpötila-anturia, ja niiden
sarjanumerot tulevat lokiin ryhmiteltyinä: ~ {ts} anturi 040 {z:3} {z:4} {f:18-90:1} °C ~ {ts}
anturi 050 {z:3} {z:4} {f:18-90:1} °C ~ {ts} anturi 045 {z:3} {z:4} virhe E{n:10-99} ~ Sarjanumeron
alku kertoo anturimallin. Kirjoita Python-funktio, joka poimii lokiriviltä sarjanumeron ilman
välilyöntejä sekä lämpötilan.
""",
})  # fmt: skip
