"""The privacy corpus's sentence frames, health statements and labels, as data (`privacy_corpus`).

A frame block starts ``@slug domain[/group]:`` and runs to the next ``@``; its lines join with
spaces, `` ~ `` is a line break and `` ~~ `` a paragraph break. Blocks alternate between the train
and the test split in the order written, so they come in pairs of like content.

Labelled slots: ``{name}`` ``{email}`` ``{phone}`` ``{card}`` ``{iban}`` ``{bank}``
``{passport}`` ``{mrn}`` ``{dob}`` ``{address}``, any identifier type (``{uk_nhs}``), ``{id}`` (an
identifier of the block's group, by default its language's own; ``{idlabel}`` names it), and
``{health}`` (a note about the person) or ``{health_i}`` (the writer about themself); ``:M`` fixes
the health category. Unlabelled: ``{city}`` ``{company}`` ``{date}`` (never a birth date)
``{ask}``, ``{n:lo-hi}`` ``{f:lo-hi:decimals}`` ``{z:digits}`` ``{A:letters}`` ``{x:hex digits}``
``{ts}`` ``{time}`` ``{isbn}``, near misses ``{badcard}`` ``{badiban:CC}``; ``{a|b}`` picks one.

Health lines: category (M mental health, A addiction, S sexual and reproductive, G genetic,
D disability, H general), shape (n note, i first person), ``f`` if only about a woman, text. In
each language, category and shape the lines alternate between train and test; an ``f`` line
joins the split of the line before it (which is there for men).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["ASKS", "DATE_FORMATS", "HEALTH", "MONTHS", "NEGATIVE", "POSITIVE"]

POSITIVE: Final[Mapping[str, str]] = MappingProxyType({"en": """
@legal-brief legal: Draft a short brief for matter {A:3}-{z:5}. Our client {name} (passport
{passport}) paid a deposit of EUR {n:2000-15000} from {iban} to the landlord on {date}. The landlord
kept it after the tenancy ended and now claims no payment was ever received. ~~ {ask}
@witness-statement legal: Witness statement (draft) ~~ I, {name}, born {dob}, of {address}, say:
~ 1. On {date} I handed my passport, number {passport}, to the hotel reception in {city} and it was
kept for {n:2-9} days. ~ 2. The hotel refunded the {n:150-900} EUR charge to my account {iban} only
after I complained in writing. ~~ {ask}
@tax-return-expat finance/eu: To the tax office, ~~ I moved to {city} in {n:2019-2023}; my
{idlabel} is {id}. {health_i}, so my income for {n:2022-2024} was far below the preliminary
assessment. Please pay any refund to {iban}. ~~ Kind regards, {name} ~~ {ask}
@skatteverket-letter finance: Can you help me answer a letter from Skatteverket? They question the
deduction I claimed for {n:2022-2024}. My personnummer is {se_personnummer}. {health_i:M}, and my
employer only paid sick pay for the first {n:2-14} days. Refunds go to {iban}. {ask}
@insurance-claim insurance/nat: Claim {A:2}{z:7}. Policyholder: {name}, {idlabel} {id}, {address}.
Reason for the claim: {health}. The insurer says the condition existed before the policy started on
{date} and refuses to pay the {n:1200-18000} invoice. ~~ {ask}
@insurance-appeal insurance/nat: Re: appeal against the decision of {date} ~~ The insured, {name}
(born {dob}; {idlabel} {id}), was refused income-protection cover. Medical background: {health}.
We consider that the exclusion clause cannot apply to a condition disclosed at the outset. ~~ {ask}
@therapy-notes healthcare: Therapy session notes, {date}. Client: {name}, Aadhaar {in_aadhaar},
mobile {phone}. Presenting issue: {health:M}. Safety plan reviewed; next session in {n:1-3} weeks.
{ask}
@clinic-letter healthcare/med: Clinic letter, {date} ~ Patient: {name}, DOB {dob}, {idlabel} {id}
~ Diagnosis: {health} ~ Plan: review in clinic in {n:2-12} weeks; GP to continue current treatment.
~~ {ask}
@pharmacy-billing healthcare/med: Pharmacy billing problem: the claim for {name} ({idlabel} {id},
DOB {dob}) was rejected on {date}. Relevant history: {health}. Write a note to the insurer asking
them to reprocess it.
@benefits-letter insurance/med: My neighbour {name} got a letter saying the {idlabel} {id} was used
to bill for equipment that never arrived. Address on the letter: {address}; phone {phone}. {ask}
@new-hire hr/nat: I'm in HR at {company}. {name} starts with us on {date}. For payroll I have
{idlabel} {id}, home address {address} and mobile {phone}. Write a welcome email that asks the new
starter to confirm these details.
@reference-check hr/nat: Background check for {name}: {idlabel} {id}, date of birth {dob}, email
{email}. The candidate consented on {date}; the result is due in {n:2-10} working days. {ask}
@card-dispute finance: I want to dispute a charge of {n:20-900}.{z:2} on my card {card} from
{date}; the shop never delivered. Refund to {bank} please. Cardholder: {name}, {address}. {ask}
@double-charge finance: Hi, my card {card} was charged twice on {date} for the same order. Please
refund one of the payments to {bank}. Thanks, {name} ({phone}) ~~ {ask}
@iban-check finance: Is {iban} a valid IBAN? My landlord sent it for the rent and I want to be sure
before I pay.
@contact-line general: Fix the grammar: "you can reach me on {phone} or at {email} after 6pm"
@health-disclosure general: {health_i}. How do I tell my manager without oversharing? Keep it short.
@health-message general: {health_i}. Can you help me write a calm message to my sister about what
this means for the next few months?
@flight-booking travel: Please book the {n:6-21}:{0|3}0 flight from {city} to {city2} on {date} for
{name}, born {dob}, passport {passport} (expires {n:2026-2034}). Contact: {phone}, {email}. Window
seat if possible.
@visa-form travel: Help me fill in a visa application. Full name: {name}. Date of birth: {dob}.
Passport number: {passport}. Home address: {address}. Email: {email}. Purpose: {a conference|
tourism} in {city} from {date}. {ask}
@vehicle-transfer automotive/nat: Vehicle transfer: the new keeper is {name}, {address}, {idlabel}
{id}. The car, a {n:2012-2023} {Toyota Corolla|Ford Focus|VW Golf|Honda Civic}, changes hands on
{date} for {n:3000-19000}. {ask}
@licence-renewal automotive/nat: Driving licence renewal for {name}: date of birth {dob}, {idlabel}
{id}, address {address}. The fee of {n:30-90} is paid. What else does the form need?
@tribunal-claim legal/nat: Employment tribunal claim, draft ~~ The claimant, {name} ({idlabel}
{id}), was employed by {company} from {n:2012-2020} until {date}. ~~ Some months before, the
claimant told the line manager about the condition: {health}. The respondent then moved the claimant
to a lower-paid role and, after a meeting about absences, ended the contract. ~~ The claimant seeks
compensation for disability discrimination and unfair dismissal, and can be contacted at {email}.
~~ {ask}
@immigration-appeal legal/nat: Grounds of appeal, reference {A:2}/{z:5}/{n:2023-2025} ~~ The
appellant, {name}, born {dob}, passport {passport}, {idlabel} {id}, has lived at {address} since
{n:2010-2020}. ~~ The decision of {date} ignores the evidence that the appellant's family depends on
this income and that the appellant has no remaining ties to the country of origin. ~~ {ask}
@disability-claim insurance/med: Long-term disability claim ~~ Claimant: {name}, DOB {dob},
{idlabel} {id}, {address}. ~~ Medical summary: {health}. The claimant stopped work on {date} and the
treating physician expects at least {n:6-18} months before any return. ~~ Contact: {phone}. ~~ {ask}
@discharge-summary healthcare: Discharge summary for {name}, MRN {mrn}, DOB {dob}. Admitted {date}
via the emergency department. Diagnosis: {health}. Discharged home with follow-up in {n:1-6} weeks.
{ask}
@referral-letter healthcare: Referral: please see {name}, hospital no. {mrn}, {address}, tel.
{phone}. {health}. Seen in the practice on {date}. {ask}
@care-plan healthcare/med: Care plan for {name} ({idlabel} {id}), {address}. ~~ Needs: {health}.
~ Visits: {n:1-4} per day, medication prompt at {n:7-9}:00 and {n:18-21}:00. ~ Next review: {date}.
~~ {ask}
@code-fixture code: Why does this test fail? ~ customer = Customer(name="{name}", email="{email}",
iban="{iban}") ~ assert customer.is_valid() ~ It raises ValueError on the IBAN.
@sql-debug code: This insert fails with a constraint error, why? ~ INSERT INTO patients (full_name,
dob, nhs_number) VALUES ('{name}', '{dob}', '{uk_nhs}'); ~ nhs_number is CHAR(10).
@loan-application finance/nat: Loan application summary: applicant {name}, {idlabel} {id}, born
{dob}, employed at {company} for {n:2-15} years, net income {n:2500-9000} a month. Requested
{n:5000-40000} over {n:24-84} months. Contact {email}. {ask}
@tenancy-reference legal/nat: Tenant reference request for {name} ({idlabel} {id}), currently at
{address}. Monthly rent {n:900-2800}; paid on time since {n:2018-2023}? Reply to {email}. {ask}
@relocation-hr hr/eu: Relocation checklist for {name}, moving to our {city} office on {date}: local
{idlabel} {id} received, bank account {iban} set up, phone {phone}. {ask}
@expat-pension finance/eu: I worked in {city} from {n:1995-2005} to {n:2010-2020} and now want my
state pension paid abroad. My {idlabel} is {id}, I was born {dob}, my account is {iban}. {ask}
""", "de": """
@versicherung-sucht insurance: Betreff: Ihr Schreiben vom {date}, Vertrag {z:9} ~~ Sehr geehrte
Damen und Herren, ~ {health_i:A}. Das habe ich bei Vertragsabschluss angegeben. Meine {idlabel} {id}
und meine Anschrift {address} sind unverändert. ~~ Mit freundlichen Grüßen ~ {name} ~~ {ask}
@berufsunfaehigkeit insurance: Antrag auf Berufsunfähigkeitsrente für {name}, geboren am {dob},
{idlabel}: {id}. Befund: {health}. Arbeitsunfähig seit {date}. Bitte formuliere eine Begründung für
den Versicherer.
@arztbrief healthcare: Arztbrief vom {date} ~ Patient: {name}, geb. {dob}, Patienten-Nr. {mrn}
~ Diagnose: {health} ~ Procedere: Kontrolle in {n:2-8} Wochen. ~~ {ask}
@reha-antrag healthcare: Ich helfe {name} ({address}, Tel. {phone}) bei einem Antrag auf Reha.
Befund laut Hausarzt: {health}. {ask}
@reise-buchung travel: Bitte buche für {name}, geb. {dob}, Reisepass {passport}, einen Flug nach
{city} am {date}. Rückfragen an {phone}. Gangplatz, wenn möglich.
@mietkaution legal: Mein Vermieter behält die Kaution von {n:900-4000} € ein. Ich bin {name}, mein
Reisepass hat die Nummer {passport} (er wollte ihn sehen) und die Kaution kam von {iban}. {ask}
@steuerberater finance: Hallo, für die Steuererklärung {n:2022-2024}: {name}, {idlabel} {id},
Erstattung bitte auf {iban}. Werbungskosten {n:800-6000} €, Fahrtweg {n:10-80} km. {ask}
@lohnabrechnung hr: Neu bei {company}: {name}, {address}, {idlabel} {id}, Beginn am {date}. Schreib
eine kurze Mail an die Lohnbuchhaltung mit diesen Angaben.
@krank-ich general: {health_i}. Wie erkläre ich das meinem Chef, ohne zu viel preiszugeben?
@sorgen-ich general: {health_i}. Kannst du mir helfen, meinen Freunden kurz zu schreiben, was das
für mich bedeutet?
@kfz-zulassung automotive: Zulassung für meinen {VW Golf|Opel Astra|BMW 320d} von {n:2014-2023}:
Halter {name}, geb. {dob}, {address}. Die Kfz-Steuer soll von {iban} abgebucht werden. {ask}
@kartenbetrug finance: Auf meiner Karte {card} sind am {date} drei Abbuchungen über je
{n:20-400},{z:2} € aufgetaucht, die ich nicht kenne. Konto: {iban}, E-Mail {email}. Ich heiße
{name}. {ask}
""", "fr": """
@mutuelle insurance: Objet : remboursement refusé, dossier {z:8} ~~ Madame, Monsieur, ~ je
conteste votre refus du {date}. Antécédents : {health}. Mon {idlabel} : {id}. Adresse : {address}.
~~ {name} ~~ {ask}
@arret-travail hr: Je suis RH chez {company}. {name} ({idlabel} {id}) est en arrêt depuis le
{date}. Le certificat indique : {health}. Rédige un courrier neutre pour organiser la reprise.
@courrier-medecin healthcare: Cher confrère, je vous adresse {name}, {address}, tél. {phone}.
Motif : {health}. Merci de votre avis. ~~ {ask}
@compte-rendu healthcare: Compte rendu d'hospitalisation du {date} ~ Patient : {name}, né(e) le
{dob}, n° de dossier {mrn} ~ Diagnostic : {health} ~ Suite : consultation dans {n:2-8} semaines.
~~ {ask}
@reservation-vol travel: Réserve un vol {city}–{city2} le {date} pour {name}, né(e) le {dob},
passeport n° {passport}. Confirmation à envoyer à {email}.
@caution-bail legal: Mon propriétaire refuse de rendre la caution de {n:600-3000} €. Je suis
{name}, il a photocopié mon passeport ({passport}) à la signature et j'ai payé depuis {iban}. {ask}
@impots finance: Bonjour, pour ma déclaration {n:2022-2024} : {name}, {idlabel} {id}. Le
remboursement doit arriver sur {iban}. Frais réels : {n:800-6000} €. {ask}
@dossier-caf general: Dossier d'aide au logement de {name} : {idlabel} {id}, {address}, tél.
{phone}. Loyer {n:400-1200} € par mois. {ask}
@confidence-moi general: {health_i}. Comment en parler à mon employeur sans trop en dire ?
@journal-moi general: {health_i}. Aide-moi à écrire un message à ma sœur pour lui expliquer ce que
ça change pour moi.
@litige-carte finance: Ma carte {card} a été débitée de {n:20-600},{z:2} € le {date} sans mon
accord. Je suis {name}, compte {iban}, joignable à {email}. {ask}
@carte-grise automotive: Changement de titulaire de carte grise : {name}, né(e) le {dob},
domicilié(e) {address}. Véhicule {Peugeot 208|Renault Clio|Citroën C3} de {n:2012-2023}. {ask}
""", "es": """
@seguro-medico insurance: Asunto: reclamación póliza {z:9} ~~ Soy {name}, {idlabel} {id}. La
aseguradora rechazó el reembolso del {date} alegando una enfermedad previa. Antecedentes: {health}.
~~ {ask}
@baja-laboral hr: Trabajo en RR. HH. de {company}: {name} ({idlabel} {id}) está de baja desde el
{date}. El parte médico dice: {health}. Redacta un correo neutro para planificar la vuelta.
@derivacion healthcare: Derivo a {name}, {address}, tel. {phone}, a su consulta. Motivo: {health}.
Gracias. ~~ {ask}
@informe-alta healthcare: Informe de alta, {date} ~ Paciente: {name}, nacido/a el {dob}, n.º de
historia clínica {mrn} ~ Diagnóstico: {health} ~ Revisión en {n:2-8} semanas. ~~ {ask}
@reserva-vuelo travel: Reserva un vuelo {city}–{city2} el {date} para {name}, nacido/a el {dob},
pasaporte {passport}. Envía la confirmación a {email}.
@fianza-alquiler legal: El casero no me devuelve la fianza de {n:600-3000} €. Soy {name}; al
firmar fotocopió mi pasaporte ({passport}) y pagué desde {iban}. {ask}
@hacienda finance: Hola, para la declaración de {n:2022-2024}: {name}, {idlabel} {id}. La
devolución debe ir a {iban}. {ask}
@empadronamiento general: Solicitud de empadronamiento para {name}, {idlabel} {id}, domicilio
{address}, teléfono {phone}. {ask}
@desahogo general: {health_i}. ¿Cómo se lo cuento a mi jefe sin dar demasiados detalles?
@consulta-personal general: {health_i}. Ayúdame a escribir un mensaje a mi hermana explicando lo que
esto significa para mí.
@transferencia-coche automotive: Cambio de titularidad del {Seat Ibiza|Renault Clio|Toyota Yaris}
de {n:2012-2023}: comprador {name}, nacido/a el {dob}, con domicilio en {address}. {ask}
@cargo-tarjeta finance: En mi tarjeta {card} aparece un cargo de {n:20-600},{z:2} € del {date} que
no reconozco. Soy {name}, cuenta {iban}, correo {email}. {ask}
""", "it": """
@dichiarazione-it finance: Buongiorno, per la dichiarazione dei redditi {n:2022-2024}: {name},
{idlabel} {id}, residente in {address}. Il rimborso va su {iban}. {ask}
@contratto-it hr: Nuovo contratto presso {company} per {name}, nato/a il {dob}, {idlabel} {id},
inizio il {date}. Scrivi una breve email all'ufficio paghe con questi dati.
@banca-it finance: La mia carta {card} è stata addebitata due volte il {date}. Sono {name}, conto
{iban}, email {email}. {ask}
@viaggio-it travel: Prenota un volo per {name}, nato/a il {dob}, passaporto {passport}, da {city}
il {date}. Cellulare {phone}.
""", "nl": """
@belasting-nl finance: Hallo, voor mijn aangifte {n:2022-2024}: {name}, {idlabel} {id}, adres
{address}. Teruggave graag op {iban}. {ask}
@zorgverzekering-nl insurance: Aanmelding zorgverzekering voor {name}, geboren {dob}, {idlabel}
{id}, ingangsdatum {date}. Telefoon {phone}. {ask}
@reis-nl travel: Boek een vlucht naar {city} op {date} voor {name}, geboren {dob}, paspoort
{passport}. Mobiel: {phone}.
@bank-nl finance: Er is op {date} twee keer {n:20-500},{z:2} euro van mijn rekening {iban}
afgeschreven met pas {card}. Ik ben {name}, bereikbaar via {email}. {ask}
""", "pl": """
@pit-pl finance: Dzień dobry, w sprawie zeznania PIT za {n:2022-2024}: {name}, {idlabel} {id}, adres
{address}. Zwrot proszę przelać na {iban}. {ask}
@umowa-pl hr: Nowy pracownik w {company}: {name}, data urodzenia {dob}, {idlabel} {id}, początek
pracy {date}. Napisz krótką wiadomość do działu kadr.
@reklamacja-pl finance: Moja karta {card} została obciążona dwa razy {date}. Nazywam się {name},
konto {iban}, e-mail {email}. {ask}
@podroz-pl travel: Zarezerwuj lot do {city} na {date} dla {name}, ur. {dob}, paszport {passport}.
Telefon: {phone}.
""", "pt": """
@imposto-pt finance: Olá, sobre a declaração do imposto de renda {n:2022-2024}: {name}, {idlabel}
{id}, endereço {address}, telefone {phone}. {ask}
@cadastro-pt hr: Cadastro de novo funcionário na {company}: {name}, nascido/a em {dob}, {idlabel}
{id}, início em {date}. Escreva um e-mail curto para o RH.
@viagem-pt travel: Reserva um voo para {city} no dia {date} para {name}, nascido/a em {dob},
passaporte {passport}. Contacto: {phone}.
@banco-pt finance: O meu cartão {card} foi debitado duas vezes em {date}. Sou {name}, IBAN {iban},
email {email}. {ask}
""", "sv": """
@deklaration-sv finance: Hej, gällande deklarationen för {n:2022-2024}: {name}, {idlabel} {id},
adress {address}. Återbetalning till {iban}. {ask}
@anstallning-sv hr: Ny medarbetare på {company}: {name}, {idlabel} {id}, börjar {date}, mobil
{phone}. Skriv ett kort mejl till lönekontoret.
@bank-sv finance: Mitt kort {card} drogs två gånger den {date}. Jag heter {name}, konto {iban},
e-post {email}. {ask}
@resa-sv travel: Boka en flygresa till {city} den {date} för {name}, född {dob}, pass nr
{passport}. Telefon: {phone}.
""", "no": """
@skatt-no finance: Hei, angående skattemeldingen for {n:2022-2024}: {name}, {idlabel} {id},
adresse {address}. Tilbakebetaling til {iban}. {ask}
@ansettelse-no hr: Ny ansatt i {company}: {name}, {idlabel} {id}, starter {date}, mobil {phone}.
Skriv en kort e-post til lønnsavdelingen.
@reise-no travel: Bestill en flyreise til {city} den {date} for {name}, født {dob}, passnummer
{passport}. Telefon: {phone}.
@bank-no finance: Kortet mitt {card} ble belastet to ganger {date}. Jeg heter {name}, konto {iban},
e-post {email}. {ask}
""", "da": """
@skat-da finance: Hej, vedrørende årsopgørelsen for {n:2022-2024}: {name}, {idlabel} {id}, adresse
{address}. Tilbagebetaling til {iban}. {ask}
@ansaettelse-da hr: Ny medarbejder hos {company}: {name}, {idlabel} {id}, starter {date}, mobil
{phone}. Skriv en kort mail til lønafdelingen.
@bank-da finance: Mit kort {card} blev trukket to gange den {date}. Jeg hedder {name}, konto {iban},
e-mail {email}. {ask}
@rejse-da travel: Book en flyrejse til {city} den {date} for {name}, født {dob}, pasnummer
{passport}. Telefon: {phone}.
""", "fi": """
@vero-fi finance: Hei, vuoden {n:2022-2024} veroilmoituksesta: {name}, {idlabel} {id}, osoite
{address}. Palautus tilille {iban}. {ask}
@tyosopimus-fi hr: Uusi työntekijä yrityksessä {company}: {name}, {idlabel} {id}, aloittaa {date},
puhelin {phone}. Kirjoita lyhyt viesti palkanlaskentaan.
@matka-fi travel: Varaa lento kohteeseen {city} {date} henkilölle {name}, syntynyt {dob}, passin
numero {passport}. Puhelin: {phone}.
@pankki-fi finance: Korttini {card} veloitettiin kahdesti {date}. Olen {name}, tili {iban},
sähköposti {email}. {ask}
"""})  # fmt: skip

NEGATIVE: Final[Mapping[str, str]] = MappingProxyType({"en": """
@greenhouse-telemetry iot: Readings from greenhouse node {A:2}-{z:3} (serial {z:4} {z:3} {z:4}):
~ {ts} temp {f:18-31:1} °C, humidity {n:40-90}%, soil {f:0.1-0.6:2} ~ {ts} temp {f:18-31:1} °C,
humidity {n:40-90}%, soil {f:0.1-0.6:2} ~ Battery {f:3.3-4.2:2} V. Is the sensor drifting?
@bed-monitor healthcare: Bed monitor {n:1-24}: HR {n:55-110} bpm, BP {n:100-150}/{n:60-95}, SpO2
{n:92-100}%, RR {n:12-22}/min, temp {f:36.1-37.9:1} °C at {time}. Trend over the last {n:3-8}
readings?
@train-maths maths: A train leaves at {time} and covers {n:120-480} km at {n:60-140} km/h, then
{n:40-200} km at {n:50-120} km/h. When does it arrive? Show the steps. Also: is {z:9} divisible by
{n:3-13}?
@order-chase general: Order {z:9} (invoice INV-{n:2023-2025}-{z:5}, tracking 1Z{A:3}{z:11}) was
placed on {date} for {n:20-400}.{z:2} USD and still shows "label created". Write a polite chase-up
to the shop.
@worker-logs code: Why does this keep failing? ~ {ts} ERROR worker-{n:1-16} job {x:8} retry
{n:1-5}/5 after {n:100-9000} ms ~ {ts} WARN pool size {n:4-64}, queue depth {n:0-900} ~ {ts} ERROR
upstream 503 in {n:20-3000} ms, build {n:1-9}.{n:0-20}.{n:0-99}
@voucher-codes finance: Our gift voucher codes look like {badcard} and {badcard}. The checkout
rejects them as invalid card numbers, yet it accepts the dummy IBAN {badiban:NL} from our test
fixtures. How do I make the fields tell these apart?
@iban-validator code: My unit tests expect {badiban:DE}, {badiban:FR} and the card number {badcard}
to be rejected, but my regexes accept all three. Write proper mod-97 and Luhn checks in Python.
@isbn-inventory general: Stock count: ISBN {isbn} x {n:1-40}, ISBN {isbn} x {n:1-40}, SKU
{A:3}-{z:5} x {n:1-200} at {n:2-90}.{z:2} EUR each. What is the total value?
@gps-route travel: Route waypoints: {f:47-55:5}, {f:5-15:5}; {f:47-55:5}, {f:5-15:5}; {f:47-55:5},
{f:5-15:5}. Heights {n:100-900} m, {n:100-900} m, {n:100-900} m. Total distance and elevation gain?
@release-notes code: Summarise the changes between v{n:1-4}.{n:0-20}.{n:0-30} and
v{n:5-8}.{n:0-20}.{n:0-30}: build {z:7}, commit {x:12}, released {date}, {n:10-300} issues closed,
p95 latency down from {n:200-900} ms to {n:80-199} ms.
@obd-log automotive: OBD log: {ts} RPM {n:700-4500}, speed {n:0-130} km/h, coolant {n:70-105} °C,
fuel trim {f:-10-10:1}%, code P0{n:100-999}. What does the code usually mean?
@meeting-times general: Convert to CET: stand-up {date} {time} UTC, review {date2} {time} UTC,
release call {date3} {time} UTC. Which of them clash with a 09:00-17:00 working day?
""", "de": """
@waermepumpe-de iot: Messwerte Wärmepumpe {A:2}{z:4} vom {date}: Vorlauf {n:30-55},{z:1} °C,
Rücklauf {n:25-45},{z:1} °C, Leistung {n:2-12},{z:1} kW, Seriennummer {z:4} {z:3} {z:4}. Ist ein COP
von {n:2-5},{z:1} plausibel?
@rechnung-de finance: Rechnung Nr. {n:2024-2025}-{z:5} vom {date}: {n:3-40} × Artikel {A:2}-{z:6}
à {n:5-90},{z:2} €, Versand {n:3-15},{z:2} €, Bestellnummer {z:9}. Rechne die Summe mit 19 % MwSt.
""", "fr": """
@meteo-fr iot: Relevés de la station météo {A:3}-{z:2} le {date} : {n:-5-35},{z:1} °C, pression
{n:980-1040} hPa, vent {n:0-90} km/h, pluie {n:0-40},{z:1} mm. Calcule la moyenne et l'écart-type.
@facture-fr finance: Commande n° {z:9}, facture FA-{n:2024-2025}-{z:4} du {date} : {n:2-30} unités
réf. {A:3}{z:5} à {n:4-80},{z:2} € HT. Suivi colis {A:2}{z:9}FR. Quel est le total TTC à 20 % ?
""", "es": """
@monitor-es healthcare: Monitor de la cama {n:1-20}: FC {n:55-110} lpm, TA {n:100-150}/{n:60-95}
mmHg, SatO2 {n:92-100} %, temperatura {n:36-37},{z:1} °C a las {time}. ¿Hay alguna tendencia?
@ecuacion-es maths: Resuelve {n:2-9}x² − {n:10-60}x + {n:5-80} = 0. Después calcula
{n:100-999} × {n:100-999} y redondea {f:0-100:4} a dos decimales.
""", "it": """
@ordine-it finance: Ordine n. {z:9} del {date}: {n:2-20} pezzi cod. {A:2}{z:6} a {n:3-90},{z:2} €
ciascuno, spedizione {n:5-15},{z:2} €. Calcola il totale con IVA al 22 %.
""", "nl": """
@meter-nl iot: Slimme meter {z:4} {z:3} {z:3}: verbruik {n:2-30},{z:3} kWh op {date}, piek
{n:1-9},{z:2} kW om {time}, gas {n:0-9},{z:3} m³. Is dit normaal voor een rijtjeshuis?
""", "pl": """
@logi-pl code: Dlaczego ten test nie przechodzi? ~ {ts} ERROR order_id={z:9}
amount={n:10-900}.{z:2} PLN retry={n:1-5} ~ {ts} INFO build {n:1-3}.{n:0-9}.{n:0-99}
""", "pt": """
@encomenda-pt general: A encomenda {z:9} com o rastreio {A:2}{z:9}PT saiu do armazém em {date} às
{time}. Peso {n:1-30},{z:1} kg, {n:1-6} volumes. Quando deve chegar?
""", "sv": """
@matte-sv maths: Beräkna {n:12-99} · {n:12-99} och {n:1000-9999} / {n:3-19} med två decimaler.
Avrunda sedan {f:0-1:5} till tre decimaler.
""", "no": """
@strompris-no iot: Strømpris {date}: kl. {time} {n:50-300},{z:2} øre/kWh, kl. {time}
{n:50-300},{z:2} øre/kWh. Hva er snittprisen, og når er det billigst å lade bilen?
""", "da": """
@lager-da general: Lagerstatus {date}: varenr. {z:8} {n:0-500} stk., varenr. {z:8} {n:0-500}
stk., ordre {z:9} afventer. Hvor mange skal genbestilles ved et minimum på {n:20-80}?
""", "fi": """
@bussi-fi travel: Bussi {n:1-99} lähtee {time} pysäkiltä {z:4}, matka {n:2-30},{z:1} km, hinta
{n:2-9},{z:2} €. Kuinka kauan matka kestää, jos keskinopeus on {n:20-45} km/h?
"""})  # fmt: skip

HEALTH: Final[Mapping[str, str]] = MappingProxyType({"en": """
Mn {Recurrent|Moderate} depressive disorder with {suicidal thoughts|passive suicidal ideation}
Mn {Bipolar II disorder|PTSD after an assault|Generalised anxiety disorder|Anorexia nervosa}
Mi I was diagnosed with {bipolar disorder|PTSD|an eating disorder} {last year|two years ago}
Mi I've been on sick leave for {depression|severe anxiety|burnout and depression} since {May|March}
An Alcohol dependence, {completed|currently in} a {six|twelve}-week residential rehab programme
An Opioid use disorder, on {methadone|buprenorphine} maintenance, {n:30-90} mg daily
Ai I've been treated for alcohol dependence since {n:2017-2023} and I'm {n:3-30} months sober
Ai I'm in a {methadone programme|drug rehab programme|gambling addiction programme}
Sn HIV-positive, on antiretroviral therapy{|, viral load undetectable}
Sn Syphilis, treated with penicillin, {partner notified|follow-up serology due}
Snf {n:8-34} weeks pregnant, {high-risk pregnancy|twin pregnancy}
Si I was diagnosed HIV-positive {this spring|last month} and have just started treatment
Sif I had {an abortion|a miscarriage} in {April|June} and needed {two weeks off|follow-up care}
Si {We're going through IVF|I was treated for chlamydia last month}, which I'd rather keep private
Gn BRCA1 mutation carrier, {genetic test|predictive test} in {n:2015-2024}
Gn Positive predictive test for {Huntington's disease|Lynch syndrome}, {no symptoms yet|monitored}
Gi My genetic test showed I carry {a BRCA2 mutation|the cystic fibrosis gene}
Gi I tested positive for the Huntington's gene and {haven't told my family|see a genetic counsellor}
Dn {Wheelchair user|Paraplegic} after a spinal cord injury, needs step-free access
Dn {Autism spectrum disorder|Severe hearing loss|Registered blind}, receives disability benefit
Di I'm {deaf|a wheelchair user|partially sighted} and {get disability benefit|need step-free access}
Di I was diagnosed with autism {as an adult|at 30} and {get PIP|need adjustments at work}
Hn Type {1|2} diabetes, on {insulin|metformin}, HbA1c {n:48-75} mmol/mol
Hn {Breast|Bowel|Lung} cancer, {completed chemotherapy|awaiting surgery|on hormone therapy}
Hi I had {knee|hip|heart} surgery in {May|October} and I'm {still on painkillers|off work for weeks}
Hi I'm on chemotherapy for {breast cancer|lymphoma} and {I'm often too tired to work|feel awful}
""", "de": """
Mn Rezidivierende depressive Störung mit {Suizidgedanken|passiven Todeswünschen}
Mn {Bipolare Störung Typ II|Posttraumatische Belastungsstörung|Generalisierte Angststörung}
Mi Bei mir wurde {letztes Jahr|vor zwei Jahren} eine {bipolare Störung|Essstörung} diagnostiziert
Mi Ich bin seit {Januar|März} wegen {Depressionen|eines Burnouts} krankgeschrieben
An Alkoholabhängigkeit, {stationäre Entwöhnung|Langzeittherapie} {n:2018-2024} abgeschlossen
An Opioidabhängigkeit, Substitution mit {Methadon|Buprenorphin}, {n:30-90} mg täglich
Ai Ich wurde {n:2017-2023} wegen Alkoholabhängigkeit behandelt und bin seit {n:3-30} Monaten trocken
Ai Ich bin {im Substitutionsprogramm|wegen Spielsucht in einer Suchtambulanz}
Sn HIV-positiv, antiretrovirale Therapie{|, Viruslast unter der Nachweisgrenze}
Sn Syphilis, antibiotisch behandelt, {Partner informiert|Kontrolle in drei Monaten}
Snf Schwangerschaft in der {n:8-34}. Woche, {Risikoschwangerschaft|Zwillingsschwangerschaft}
Si Ich bin seit {Kurzem|diesem Frühjahr} HIV-positiv
Sif Ich hatte im {April|Juni} {einen Schwangerschaftsabbruch|eine Fehlgeburt}
Si {Wir sind mitten in einer IVF-Behandlung|Ich wurde wegen Chlamydien behandelt}
Gn BRCA1-Mutation nachgewiesen (Gentest {n:2015-2024})
Gn Positiver prädiktiver Gentest auf {Chorea Huntington|Lynch-Syndrom}, {symptomfrei|in Kontrolle}
Gi Mein Gentest hat ergeben, dass ich {eine BRCA2-Mutation|die Anlage für Mukoviszidose} trage
Gi Ich wurde positiv auf das Huntington-Gen getestet
Dn {Querschnittlähmung, auf den Rollstuhl angewiesen|Hochgradige Schwerhörigkeit}, GdB {50|70|100}
Dn {Autismus-Spektrum-Störung|Gesetzlich blind}, Schwerbehindertenausweis vorhanden
Di Ich bin {gehörlos|auf den Rollstuhl angewiesen|stark sehbehindert} und beziehe eine EM-Rente
Di Bei mir wurde {im Erwachsenenalter|mit 30} Autismus diagnostiziert
Hn Diabetes mellitus Typ {1|2}, {Insulintherapie|Metformin}, HbA1c {n:6-9},{n:0-9} %
Hn {Mammakarzinom|Darmkrebs|Lungenkrebs}, {Chemotherapie abgeschlossen|OP geplant}
Hi Ich hatte im {Mai|Oktober} eine {Knie-OP|Hüft-OP|Herzoperation} und bin noch arbeitsunfähig
Hi Ich bekomme gerade eine Chemotherapie wegen {Brustkrebs|eines Lymphoms}
""", "fr": """
Mn Trouble dépressif récurrent avec {idées suicidaires|idées noires}, sous {sertraline|escitalopram}
Mn {Trouble bipolaire de type II|État de stress post-traumatique|Anorexie mentale}, suivi au CMP
Mi On m'a diagnostiqué un {trouble bipolaire|trouble anxieux} {l'an dernier|il y a deux ans}
Mi Je suis en arrêt maladie pour {dépression|burn-out} depuis {janvier|mars}
An Dépendance à l'alcool, {cure de sevrage|séjour en postcure} en {n:2018-2024}
An Trouble de l'usage des opioïdes, traitement de substitution par {méthadone|buprénorphine}
Ai Je suis en soins pour une dépendance à l'alcool depuis {n:2017-2023}
Ai Je suis {un programme méthadone|suivi en addictologie pour le jeu pathologique}
Sn Séropositivité VIH, sous trithérapie{|, charge virale indétectable}
Sn Syphilis traitée par pénicilline, {partenaire prévenu|sérologie de contrôle prévue}
Snf Enceinte de {n:8-34} semaines, {grossesse à risque|grossesse gémellaire}
Si On vient de me diagnostiquer le VIH et je commence un traitement
Sif J'ai eu {une IVG|une fausse couche} en {avril|juin}
Si {Nous sommes en parcours de FIV|On m'a soigné une chlamydia le mois dernier}
Gn Mutation BRCA1 identifiée (test génétique en {n:2015-2024})
Gn Test présymptomatique positif ({maladie de Huntington|syndrome de Lynch}), asymptomatique
Gi Mon test génétique montre {une mutation BRCA2|que je porte le gène de la mucoviscidose}
Gi Mon test du gène de Huntington est revenu positif
Dn {Paraplégie, en fauteuil roulant|Surdité sévère|Cécité complète}, taux d'incapacité {50|80} %
Dn {Trouble du spectre de l'autisme|Sclérose en plaques}, bénéficiaire de l'AAH
Di Je me déplace en fauteuil roulant et je touche l'AAH
Di On m'a diagnostiqué un trouble du spectre de l'autisme {à l'âge adulte|à 30 ans}
Hn Diabète de type {1|2}, sous {insuline|metformine}, HbA1c {n:6-9},{n:0-9} %
Hn {Cancer du sein|Cancer colorectal|Cancer du poumon}, {chimiothérapie finie|opération prévue}
Hi On m'a opéré {du genou|de la hanche|du cœur} en {mai|octobre} et je suis encore en arrêt
Hi Je suis sous chimiothérapie pour {un cancer du sein|un lymphome}
""", "es": """
Mn Trastorno depresivo recurrente con {ideación suicida|pensamientos suicidas}
Mn {Trastorno bipolar tipo II|Trastorno de estrés postraumático|Anorexia nerviosa}, estable
Mi Me diagnosticaron {trastorno bipolar|un trastorno de ansiedad} {el año pasado|hace dos años}
Mi Estoy de baja por {depresión|ansiedad grave} desde {enero|marzo}
An Dependencia del alcohol, {deshabituación|ingreso en comunidad terapéutica} en {n:2018-2024}
An Trastorno por consumo de opioides, en programa de {metadona|buprenorfina}
Ai Me trataron por dependencia del alcohol en {n:2017-2023} y llevo {n:3-30} meses sin beber
Ai Estoy en {un programa de metadona|tratamiento por ludopatía}
Sn VIH positivo, en tratamiento antirretroviral{|, carga viral indetectable}
Sn Sífilis tratada con penicilina, {pareja informada|serología de control pendiente}
Snf Embarazo de {n:8-34} semanas, {embarazo de alto riesgo|embarazo gemelar}
Si Me acaban de diagnosticar VIH y empiezo el tratamiento
Sif Tuve {un aborto|un aborto espontáneo} en {abril|junio}
Si {Estamos en un tratamiento de FIV|Me trataron una clamidia el mes pasado}
Gn Mutación BRCA1 confirmada (estudio genético de {n:2015-2024})
Gn Test predictivo positivo para {la enfermedad de Huntington|el síndrome de Lynch}, sin síntomas
Gi El estudio genético confirmó {una mutación BRCA2|que tengo el gen de la fibrosis quística}
Gi Di positivo en el test del gen de Huntington
Dn {Lesión medular, usa silla de ruedas|Hipoacusia severa}, discapacidad del {33|65} %
Dn {Trastorno del espectro autista|Ceguera legal}, con certificado de discapacidad
Di Voy en silla de ruedas y cobro una pensión por incapacidad
Di Me diagnosticaron autismo {de adulto|a los 30 años}
Hn Diabetes tipo {1|2}, en tratamiento con {insulina|metformina}, HbA1c {n:6-9},{n:0-9} %
Hn {Cáncer de mama|Cáncer colorrectal|Cáncer de pulmón}, {quimioterapia hecha|operación prevista}
Hi Me operaron {de la rodilla|de la cadera|del corazón} en {mayo|octubre} y sigo de baja
Hi Estoy en quimioterapia por {cáncer de mama|un linfoma}
"""})  # fmt: skip

# Requests that end a prompt: language, then requests separated by "|".
ASKS: Final = """
en Summarise this in three bullet points.|Draft a polite reply.|Translate this into French.
en Can you make this sound more formal?|Check this for mistakes before I send it.
en What should I do next?|Turn this into a short email.
de Fasse das bitte in drei Sätzen zusammen.|Entwirf eine höfliche Antwort.
de Formuliere das bitte professioneller.|Übersetze das ins Englische.|Was sollte ich jetzt tun?
fr Résume ce texte en trois points.|Rédige une réponse polie.|Traduis ceci en anglais.
fr Peux-tu rendre ce texte plus formel ?|Que dois-je faire maintenant ?
es Resume esto en tres puntos.|Redacta una respuesta educada.|Tradúcelo al inglés.
es ¿Puedes hacerlo más formal?|¿Qué debería hacer ahora?
it Riassumi in tre punti.|Scrivi una risposta cortese.|Traducilo in inglese.
nl Vat dit samen in drie punten.|Schrijf een beleefd antwoord.|Vertaal dit naar het Engels.
pl Streść to w trzech punktach.|Napisz uprzejmą odpowiedź.|Przetłumacz to na angielski.
pt Resume isto em três pontos.|Escreve uma resposta educada.|Traduz isto para inglês.
sv Sammanfatta detta i tre punkter.|Skriv ett artigt svar.|Översätt detta till engelska.
no Oppsummer dette i tre punkter.|Skriv et høflig svar.|Oversett dette til engelsk.
da Opsummer dette i tre punkter.|Skriv et høfligt svar.|Oversæt dette til engelsk.
fi Tiivistä tämä kolmeen kohtaan.|Kirjoita kohtelias vastaus.|Käännä tämä englanniksi.
"""

# Tokens: YYYY, MON (month name), DD/MM (two digits), D/M (no leading zero).
DATE_FORMATS: Final[Mapping[str, str]] = MappingProxyType({
    "en": "D MON YYYY|MON D, YYYY|YYYY-MM-DD|DD/MM/YYYY", "de": "DD.MM.YYYY|D. MON YYYY",
    "fr": "DD/MM/YYYY|D MON YYYY", "es": "DD/MM/YYYY|D de MON de YYYY", "it": "DD/MM/YYYY",
    "nl": "DD-MM-YYYY|D MON YYYY", "pl": "DD.MM.YYYY", "pt": "DD/MM/YYYY", "sv": "YYYY-MM-DD",
    "no": "DD.MM.YYYY", "da": "DD.MM.YYYY|DD-MM-YYYY", "fi": "D.M.YYYY",
})  # fmt: skip

MONTHS: Final[Mapping[str, str]] = MappingProxyType({
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre"
    " diciembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
})  # fmt: skip
