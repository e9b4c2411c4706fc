"""Health vocabulary in English, German, French and Spanish, as folded words for one set test.

Words are written once with their inflections spelled out ("depressiv:e,en,er" gives depressiv,
depressive, depressiven, depressiver), lower case, as `folding.fold_text` leaves every word
("Übelkeit" -> "übelkeit"). Measurements (heart rate, blood pressure, SpO2, glucose) are not
here: a reading with no condition, treatment or person is not health data. Phrases hold the
words that are health content only in company ("eating disorder", "genetic test").
"""

from __future__ import annotations

from typing import Final

from mecrouter.agents.health_lexicon import LEXICON_PHRASES, LEXICON_WORDS

_MENTAL = """
depression:s depressed depressive anxiety chorea anxious  suicidal suicide:s
selfharm bipolar ptsd schizophrenia schizophrenic psychosis psychotic anorexia bulimia bulimic
anorexic ocd adhd psychotherapy psychotherapist therapist psychiatric psychiatrist psychiatry
psychologist antidepressant:s ssri:s sertraline fluoxetine
depressionen depressiv:e,en,er,es angststörung:en angstzustände panikattacke:n suizid:al,gedanken
selbstverletzung psychotherapie psychotherapeut:in,en psychiater:in psychiatrie psychiatrisch:e,en
essstörung:en magersucht schizophrenie traumatherapie belastungsstörung
dépression:s déprimé:e,s,es dépressif dépressive:s anxiété angoisse:s suicidaire:s
automutilation bipolaire psychothérapie psychothérapeute psychiatre psychiatrique:s
anorexie boulimie schizophrénie antidépresseur:s
depresión depresiones deprimido:s deprimida:s depresivo:s depresiva:s ansiedad suicida:s
autolesión autolesiones bipolaridad psicoterapia psicoterapeuta psiquiatra psiquiátrico:s
psiquiátrica:s anorexia bulimia esquizofrenia antidepresivo:s trastorno:s
"""
_ADDICTION = """
alcoholism alcoholic:s addiction:s addicted opioid:s methadone buprenorphine suboxone naloxone
rehab  overdose:d heroin  sobriety
alkoholabhängigkeit alkoholabhängig:e,er alkoholiker:in alkoholismus  drogensucht
suchterkrankung methadon entzug entgiftung rückfall suchtklinik opioide
alcoolisme alcoolique:s addiction  toxicomanie méthadone désintoxication rechute
sevrage
alcoholismo alcohólico:s alcohólica:s adicción adicciones adicto:s adicta:s metadona
desintoxicación recaída rehabilitación drogodependencia
"""
_SEXUAL = """
hiv  sti:s  syphilis gonorrhea gonorrhoea chlamydia herpes hpv pregnancy pregnant
abortion:s miscarriage ivf contraception contraceptive:s prenatal antenatal infertility
infertile vitro trisomy
schwangerschaft schwanger schwangerschaftsabbruch abtreibung fehlgeburt verhütung
unfruchtbarkeit künstliche geschlechtskrankheit:en
grossesse enceinte avortement ivg  fiv contraception contraceptif:s
infertilité sida vih
embarazo embarazada:s aborto:s anticoncepción anticonceptivo:s infertilidad sida vih
  fecundación
"""
_GENETIC = """
brca brca1 brca2   genome genomic:s genotype genotyping
gentest genanalyse erbkrankheit:en  gendiagnostik
génétique:s génome
genético:s genética:s genoma mutación
"""
_DISABILITY = """
wheelchair deaf deafness blindness autism autistic disability disabilities disabled
impairment:s paraplegic paraplegia quadriplegic amputee amputation
rollstuhl gehörlos:e,er taub blindheit autismus autist:in,en behinderung:en behindert:e,er
schwerbehinderung schwerbehindert:e,er querschnittsgelähmt:e
 sourd:e,s malvoyant:e,s aveugle:s autisme autiste:s handicap:s handicapé:e,s,es
paraplégique:s
 sordo:s sorda:s ciego:s ciega:s ceguera autismo autista:s discapacidad discapacitado:s
discapacitada:s minusvalía parapléjico:s
"""
_GENERAL = """
inpatient outpatient diagnosis diagnoses diagnosed diagnose prognosis insulin chemotherapy chemo
radiotherapy prescription:s prescribed oncology oncologist tumor:s tumour:s cancer carcinoma
metastasis metastatic diabetes diabetic hypertension hypotension medication:s dosage biopsy mri
radiology pathology cardiology cardiologist asthma copd hepatitis antibiotic:s symptoms
comorbidity comorbidities arrhythmia tachycardia bradycardia pneumonia sepsis seizure:s epilepsy
dementia alzheimer parkinson icu  dialysis morphine ventilator
intubation anemia anaemia leukemia leukaemia lymphoma surgery
surgical postoperative patients  sclerosis fibromyalgia migraine:s arthritis
hospitalised hospitalized hospitalisation hospitalization  illness

diagnose:n diagnostiziert krebs tumor:e chemotherapie insulin diabetes diabetiker:in
bluthochdruck medikament:e,en   behandlung:en  krankschreibung
krankgeschrieben krankheit:en erkrankung:en erkrankt:e therapie  patientin:nen
patienten arztbrief befund:e  schlaganfall herzinfarkt demenz epilepsie lungenentzündung
diagnostic:s diagnostiqué:e,s,es cancer tumeur:s chimiothérapie insuline diabète diabétique:s
médicament:s  hospitalisé:e,s,es   maladie:s
thérapie opération patiente:s  infarctus épilepsie démence asthme
diagnóstico:s diagnosticado:s diagnosticada:s cáncer tumor:es quimioterapia insulina diabetes
diabético:s diabética:s medicamento:s  hospitalizado:s hospitalizada:s
  enfermedad:es  terapia cirugía paciente:s  infarto
epilepsia demencia asma médico:s
"""
# Other languages (it, nl, pt, sv, da, no, fi, pl) and further en/de/fr/es forms.
_MORE = """
deshabituación sobriété désintox
surdité cécité incapacité malentendant:e,s sordera invalidez invalidité
depressione ansia disturbo:s dipendenza:e alcolismo tossicodipendenza gravidanza incinta
aborto diabete tumore:i cancro malattia:e disabilità sordità cecità autismo psicoterapia
depressie angststoornis verslaving alcoholisme zwanger zwangerschap kanker ziekte:n
gehandicapt:e doof blindheid psychose suïcide therapie diabetes
depressão ansiedade dependência alcoolismo grávida gravidez câncer cancro doença:s
deficiência surdez cegueira
depression:en ångest missbruk alkoholism gravid graviditet cancer sjukdom:en funktionsnedsättning
døv blind afhængighed alkoholisme sygdom:me angst kræft handikap:pet
avhengighet rusavhengighet sykdom:men kreft nedsatt
masennus ahdistus:ta riippuvuus alkoholismi raskaus raskaana syöpä sairaus kuuro sokea
vammainen vamma päihde päihderiippuvuus diabetes
depresja depresji lęk uzależnienie:m alkoholizm ciąża ciąży nowotwór raka rakiem choroba:y
niepełnosprawność niepełnosprawny:m głuchy niewidomy cukrzyca
deafblind hiv-positive seropositive séropositivité seropositivo:s trithérapie
antiretroviral:s chemotherapy dyslexia dyspraxia stroke:s transplant cirrhosis overdose
"""
# Operations, recovery, sick leave and impaired senses, as a patient or a clinician writes them.
_RECOVERY = """
surgeon:s anaesthetic anesthetic anaesthesia anesthesia physiotherapy physiotherapist painkiller:s
convalescence stillbirth miscarried fracture:d chronically wheelchair-bound
operiert:e,en,er chirurg:en,in chirurgisch:e,en,er narkose arbeitsunfähig:e,en,er,keit
krankenstand reha rehabilitation physiotherapie schmerzmittel sehbehindert:e,en,er,ung
hörbehindert:e,en,er,ung schwerhörig:e,en,er,keit lähmung gelähmt:e,er querschnittlähmung
erwerbsminderungsrente erwerbsunfähig:e,er,keit bandscheibenvorfall knochenbruch
opéré:e,s,es chirurgie:s chirurgien:ne,s,nes chirurgical:e,es,aux anesthésie rééducation
kinésithérapie antidouleur:s convalescence hospitalisation greffe:s prothèse:s
opérer malvoyance surdité
operaron operado:s operada:s operarme quirúrgico:s quirúrgica:s anestesia fisioterapia
convalecencia prótesis fractura:s rehabilitación
operato:a,e,i chirurgia chirurgo:hi chirurgico:a,he,i anestesia fisioterapia riabilitazione
ipovedente:i disabile:i invalidità convalescenza
geopereerd operatie:s chirurg:en revalidatie fysiotherapie slechtziend:e slechthorend:e miskraam
ziekteverlof arbeidsongeschikt:e,heid
operado:s operada:s cirurgia:s fisioterapia reabilitação prótese:s
operert operasjon:en sykemeldt sykmeldt sjukskriven sygemeldt opereret leikattu leikkaus
operowany:m operowana operacja operacji zwolnienie
"""
_OPERATED_PARTS = (  # noqa: SIM905
    "knie hüft hüften herz augen schulter rücken bandscheiben magen darm tumor brust leisten "
    "blinddarm meniskus kreuzband"
).split()
# Gaps the dev split (written independently, see `eval/privacy_templates_dev`) showed in the
# vocabulary: whole classes of addiction (gambling, cannabis, vaping), organs operated on, benefit
# awards and carrier traits, each written more widely than the one statement that missed.
_GAPS = """
gallbladder gallenblase vesícula cholecystectomy cholécystectomie colecistectomía appendectomy
blinddarm kiffe kiffen kiffst porro:s canuto:s scarification:s recaí recaída:s rechuté:e
erektionsproblem:e,en erektionsstörung:en sexualberatung spielsucht glücksspielsucht ludopatía
ludópata
"""
_GAP_PHRASES = (
    " online casino",
    " online poker",
    " sports betting",
    " betting debt",
    " gambling debt",
    " spielschulden",
    " paris sportifs",
    " apuestas deportivas",
    " apuestas online",
    " smoke weed",
    " smoking weed",
    " smoke cannabis",
    " quit nicotine",
    " quit vaping",
    " without vaping",
    " stop vaping",
    " sin nicotina",
    " dejar el vapeo",
    " dejar de fumar",
    " manque de nicotine",
    " arrêter de fumer",
    " arrêter la cigarette",
    " crystal meth",
    " con la cocaína",
    " de cocaína",
    " la cocaïne",
    " de cocaïne",
    " von kokain",
    " gallbladder out",
    " pip mobility",
    " pip daily living",
    " enhanced rate of pip",
    " huntington s ",
    " has huntington",
    " tiene huntington",
    " hat huntington",
    " predictive test",
    " prueba predictiva",
    " test prédictif",
    " rasgo falciforme",
    " trait drépanocytaire",
    " sichelzell",
    " idées noires",
    " perdu la vue",
    " un toc ",
    " consommation de cannabis",
    " consumo de cannabis",
    " cannabiskonsum",
    " nehme prep",
    " tomo la prep",
    " sous prep",
)
_PHRASES = (
    # "disease" alone is a science word (RouterBench's ARC prompts carry a few-shot example
    # about one in every prompt); a named or qualified disease is health content.
    " s disease",
    " heart disease",
    " kidney disease",
    " liver disease",
    " lung disease",
    " coeliac disease",
    " celiac disease",
    " autoimmune disease",
    " chronic disease",
    " rare disease",
    " genetic disease",
    " lyme disease",
    " sexually transmitted disease",
    " disease progression",
    " partially sighted",
    " sight loss",
    " hard of hearing",
    " hip replacement",
    " knee replacement",
    " off sick",
    " medical leave",
    " sick pay",
    " arrêt maladie",
    " en arrêt de travail",
    " fausse couche",
    " fausses couches",
    " intervention chirurgicale",
    " de baja médica",
    " baja médica",
    " baja laboral",
    " estoy de baja",
    " sigo de baja",
    " intervención quirúrgica",
    " aborto espontáneo",
    " intervento chirurgico",
    " in malattia",
    " non vedente",
    " aborto spontaneo",
    " baixa médica",
    " atestado médico",
    " deficiente visual",
    " em rente",
    " zwolnienie lekarskie",
    # German "Knie-OP", "Hüft-OP": an operation on a body part.
    *(f" {part} op" for part in _OPERATED_PARTS),
    " eating disorder",
    " genetic test",
    " genetic testing",
    " carrier status",
    " carrier of",
    " hearing impair",
    " hearing loss",
    " visually impaired",
    " sick leave",
    " sick note",
    " medical history",
    " medical record",
    " blood test",
    " ct scan",
    " panic attack",
    " self harm",
    " substance use",
    " opioid use",
    " alcohol dependence",
    " alcohol use",
    " alcohol abuse",
    " drug abuse",
    " drug use disorder",
    " blind in",
    " legally blind",
    " registered blind",
    " disability benefit",
    " mental health",
    " mental illness",
    " therapy session",
    " therapy for",
    " cognitive behavioural",
    " cognitive behavioral",
    " birth control",
    " morning after pill",
    " sexually transmitted",
    " down syndrome",
    " cystic fibrosis",
    " sickle cell",
    " trastorno de",
    " trouble bipolaire",
    " troubles alimentaires",
    " trouble alimentaire",
    " test génétique",
    " prueba genética",
    " silla de ruedas",
    " fauteuil roulant",
    " dépendance à l alcool",
    " pensées suicidaires",
    " idées suicidaires",
    " ideas suicidas",
    " pensamientos suicidas",
    " suizidgedanken",
    " arrêt de travail",
    " baja por",
    " krank geschrieben",
    " idée suicidaire",
)


def _expand(block: str) -> set[bytes]:
    """'stem:a,b' gives stem, stema, stemb."""
    words: set[str] = set()
    for item in block.split():
        stem, _, suffixes = item.partition(":")
        words.add(stem)
        words.update(stem + s for s in suffixes.split(",") if s)
    return {word.encode() for word in words}


def _vocabulary() -> frozenset[bytes]:
    words: set[bytes] = set()
    blocks = (_MENTAL, _ADDICTION, _SEXUAL, _GENETIC, _DISABILITY, _GENERAL, _MORE, _RECOVERY)
    for block in (*blocks, _GAPS):
        words |= _expand(block)
    return frozenset(words)


HEALTH_WORDS: Final = _vocabulary() | LEXICON_WORDS
HEALTH_PHRASES: Final = tuple(
    sorted({p.encode() for p in (*_PHRASES, *_GAP_PHRASES)}.union(LEXICON_PHRASES))
)
# The phrases by their first word, so a text tests only the phrases whose head it holds (some
# heads are common words: testing all the phrases on every text with one costs tens of us).
PHRASES_BY_HEAD: Final[dict[bytes, tuple[bytes, ...]]] = {}
for _p in HEALTH_PHRASES:
    PHRASES_BY_HEAD[_p.split()[0]] = (*PHRASES_BY_HEAD.get(_p.split()[0], ()), _p)
PHRASE_HEADS: Final = frozenset(PHRASES_BY_HEAD)
