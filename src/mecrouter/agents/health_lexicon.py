"""Health vocabulary in English, German, French and Spanish for the privacy detector.

What it is: folded words (`LEXICON_WORDS`, one set test on a text's words) and folded phrases
(`LEXICON_PHRASES`, each a substring test on the padded folded text) naming health content that
makes a prompt about someone's health private: mental health, addiction, sexual and reproductive
health, genetics, disability and general physical health (conditions, operations, hospital stays,
medications by name and class). The blocks below are per language and per category (`_EN_MENTAL`,
`_DE_ADDICTION`, ...), each with its phrases beside it (`_EN_MENTAL_PHRASES`), so that a reader
can review them by category.

How words were chosen (precision first): a single word is listed only if, in its language, it is
health content in nearly every sense ("sertraline", "chemotherapy", "Mukoviszidose"). A word with
a common other sense appears only inside phrases that pin the health sense: "depression" (the Great
Depression, a tropical depression) as "my depression", "postnatal depression"; "cancer" (a star
sign, the Tropic of Cancer) as "breast cancer", "has cancer"; "stroke" (golf, swimming, "a stroke
of luck") as "had a stroke last", "stroke patient"; "bipolar" (transistors, world politics) as
"bipolar disorder"; "wheelchair" (accessible hotels) as "a wheelchair user"; "pip" (the Python
installer) as "pip assessment"; "lithium" (batteries) as "taking lithium"; "ssri" (an npm package)
as "an ssri"; illicit drug names (news, policy) as "addicted to cocaine". No word is shorter than
three letters, and no measurement or generic care word (health, doctor, hospital, clinic,
treatment, diagnosis, heart rate, blood pressure, glucose) is listed alone. Phrases were checked
against ordinary text (software, sport, cooking, travel, weather, history) and narrowed where an
idiom or another sense matched. The vocabulary was written from general medical and linguistic
knowledge, not from the evaluation corpus.

Notation: words are written once with their inflections, "stem:a,b" giving stem, stema, stemb.
Folding lower-cases ASCII letters only, so a word that starts with a non-ASCII letter is also kept
capitalised ("épilepsie", "Épilepsie"); every word or phrase with accents also gets its accentless
spellings ("diabète" -> "diabete"; German "ä" -> "ae" and "a", "ß" -> "ss"), since they are common
misspellings. Phrases are written folded (lower case, apostrophes and hyphens as spaces: "crohn s
disease", "long covid", "d un avc"), separated by "|"; each gets a leading space, so it matches at
a word start, and it matches as a prefix at its end ("gambling addict" also finds "addiction")
unless it ends with "$", which stands for a trailing space (a word end, or punctuation). The first
word of every phrase is a whole word, so phrases can be indexed by their first word.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["LEXICON_PHRASES", "LEXICON_WORDS"]

# =============================================================================== English

_EN_MENTAL = """
depressive:s antidepressant:s antidepressive snri:s maoi:s ptsd cptsd ocd schizophrenia
schizoaffective schizotypal psychosis psychoses psychotic hypomania hypomanic cyclothymia
cyclothymic dysthymia dysthymic anhedonia catatonia catatonic anorexia anorexic:s bulimia
bulimic:s arfid orthorexia agoraphobia agoraphobic emetophobia trichotillomania dermatillomania
kleptomania hypochondriac:s hypochondria selfharm suicidal suicidality psychiatrist:s psychiatric
psychiatry psychotherapy psychotherapist:s psychotherapeutic psychoeducation antipsychotic:s
neuroleptic:s anxiolytic:s depersonalisation depersonalization derealisation derealization
insomnia insomniac:s electroconvulsive emdr sertraline fluoxetine citalopram escitalopram
paroxetine fluvoxamine venlafaxine desvenlafaxine duloxetine mirtazapine amitriptyline
nortriptyline clomipramine imipramine trazodone vortioxetine agomelatine bupropion phenelzine
quetiapine olanzapine risperidone paliperidone aripiprazole brexpiprazole cariprazine clozapine
haloperidol lurasidone ziprasidone chlorpromazine amisulpride esketamine spravato prozac zoloft
lexapro cipralex celexa paxil seroxat effexor cymbalta wellbutrin seroquel zyprexa risperdal
abilify clozaril latuda trintellix benzodiazepine:s diazepam lorazepam alprazolam clonazepam
temazepam chlordiazepoxide xanax valium ativan klonopin buspirone hydroxyzine zopiclone zolpidem
ambien
"""
_EN_MENTAL_PHRASES = """
clinical depression | major depression | severe depression | post natal depression
| post partum depression | manic depression | manic depressive | treatment resistant depression
| winter depression | suffer from depression | suffers from depression | suffering from depression
| suffered from depression | struggle with depression | struggling with depression
| struggled with depression | battling depression | battle with depression
| diagnosed with depression | treated for depression | treatment for depression
| medication for depression | meds for depression | therapy for depression | history of depression
| bout of depression | bouts of depression | episode of depression | depression and anxiety
| my depression | her depression | his depression | have depression | has depression
| had depression | got depression | living with depression | depression medication
| depression meds | depression diagnosis | symptoms of depression | depressed mood
| feeling depressed | feel depressed | felt depressed | am depressed | i m depressed
| clinically depressed | anxiety disorder | generalised anxiety | generalized anxiety
| health anxiety | my anxiety | her anxiety | his anxiety | anxiety attack | anxiety medication
| anxiety meds | severe anxiety | crippling anxiety | suffer from anxiety | suffers from anxiety
| suffering from anxiety | struggle with anxiety | struggling with anxiety
| diagnosed with anxiety | treatment for anxiety | medication for anxiety | meds for anxiety
| therapy for anxiety | have anxiety | has anxiety | anxiety and depression | gad 7$ | phq 9$
| panic attack | panic disorder | obsessive compulsive | intrusive thoughts
| post traumatic stress | posttraumatic stress | c ptsd | bipolar disorder | bipolar affective
| bipolar i$ | bipolar ii$ | bipolar 1$ | bipolar 2$ | bipolar depression | bipolar diagnosis
| diagnosed bipolar | diagnosed with bipolar | i m bipolar | am bipolar | my bipolar | his bipolar
| her bipolar | bipolar episode | bipolar medication | bipolar meds | manic episode
| mood stabiliser | mood stabilizer | taking lithium | lithium therapy | lithium toxicity
| lithium for bipolar | am schizophrenic | i m schizophrenic | schizophrenic patient
| paranoid schizophrenic | diagnosed schizophrenic | hearing voices | auditory hallucination
| command hallucination | paranoid delusion | delusional disorder | eating disorder | binge eating
| restrictive eating | suicide attempt | attempted suicide | attempt suicide
| tried to kill myself | want to kill myself | going to kill myself | kill myself | end my life
| ending my life | take my own life | taking my own life | wish i was dead | wish i were dead
| don t want to live | do not want to live | no reason to live | suicide hotline
| suicide helpline | suicide watch | suicide risk | self harm | self harming | self harmed
| self injury | self injuring | my therapist | therapist said | therapist says | see a therapist
| seeing a therapist | my psychologist | see a psychologist | seeing a psychologist
| clinical psychologist | my counsellor | my counselor | grief counselling | grief counseling
| bereavement counselling | bereavement counseling | talking therapy | talking therapies
| cbt sessions | cbt therapist | course of cbt | doing cbt | dbt skills | dbt therapy
| dialectical behaviour | dialectical behavior | cognitive behavioural | cognitive behavioral
| couples therapy | psych ward | mental health unit | mental health crisis | mental health act
| mental health team | mental health nurse | mental health problem | mental health issue
| mental health condition | mental health diagnosis | mental health service | my mental health
| mental illness | mentally ill | mental breakdown | nervous breakdown | got sectioned
| sectioned under | involuntary commitment | involuntarily committed | involuntary admission
| personality disorder | borderline personality | emotionally unstable personality
| diagnosed with bpd | my bpd$ | bpd diagnosis | dissociative identity | dissociative disorder
| dissociative episode | seasonal affective | signed off with burnout | off work with burnout
| suffering from burnout | diagnosed with burnout | my burnout | adjustment disorder
| conversion disorder | somatic symptom disorder | body dysmorphi | mood disorder | sleeping pills
| sleeping tablets | sleep disorder | on antidepressants | tricyclic antidepressant
| grief therapy | prescribed lithium | social anxiety disorder | my social anxiety
| have social anxiety | with social anxiety | i want to die | just want to die | an ssri
| ssri medication | ssri antidepressant | ssri withdrawal | ssri side effects | ssri dose
"""

_EN_ADDICTION = """
alcoholism alcoholics dipsomania tremens korsakoff wernicke methadone buprenorphine suboxone
subutex sublocade buvidal espranor zubsolv physeptone methadose naloxone narcan naltrexone
vivitrol nalmefene acamprosate campral disulfiram antabuse lofexidine pabrinex varenicline champix
chantix cytisine cytisinicline zyban nicorette nicotinell niquitin diamorphine oxycontin oxycodone
hydrocodone vicodin percocet opioid:s opiate:s benzos polysubstance gamstop gamcare gamban
betblocker fasd overdosed lucemyra probuphine brixadi kloxxado zimhi nicoderm habitrol nicotrol
hydromorphone dilaudid oxymorphone tapentadol nucynta dihydrocodeine ludomania oniomania
dipsomaniac:s chlordiazepoxide librium
"""
_EN_ADDICTION_PHRASES = """
alcohol addiction | alcohol dependence | alcohol dependency | alcohol dependent | alcohol abuse
| alcohol misuse | alcohol use disorder | alcohol problem | drinking problem | problem drinking
| problem drinker | heavy drinker | alcohol withdrawal | alcohol detox | alcohol rehab
| alcohol related liver | alcoholic liver | alcoholic hepatitis | alcoholic cirrhosis
| an alcoholic | am an alcoholic | i m an alcoholic | recovering alcoholic | functioning alcoholic
| alcoholic father | alcoholic mother | alcoholic parent | alcoholic husband | alcoholic wife
| alcoholic partner | alcoholic son | alcoholic daughter | alcoholic brother | alcoholic sister
| alcoholic dad | alcoholic mum | alcoholic mom | addicted to alcohol | addicted to drink
| addicted to booze | days sober | weeks sober | months sober | years sober | sober since
| sober living | stay sober | staying sober | stayed sober | getting sober | got sober
| my sobriety | sobriety date | sobriety chip | sobriety journey | sober curious | aa meeting
| narcotics anonymous | gamblers anonymous | cocaine anonymous | 12 step meeting
| 12 step recovery | withdrawal symptoms | drug addiction | drug addict | drug dependence
| drug dependency | drug abuse | drug misuse | drug problem | drug habit | drug use disorder
| substance abuse | substance misuse | substance use | substance dependence | addicted to drugs
| addicted to cocaine | addicted to heroin | addicted to meth | addicted to crack
| addicted to opioids | addicted to painkillers | addicted to pills | addicted to xanax
| addicted to benzos | addicted to weed | addicted to cannabis | addicted to marijuana
| addicted to ketamine | addicted to fentanyl | addicted to oxy | addicted to nicotine
| addicted to vaping | addicted to smoking | addicted to cigarettes | addicted to gambling
| addicted to betting | addicted to slots | addicted to online casino | addicted to porn
| cocaine addiction | cocaine habit | cocaine use disorder | my cocaine use | snorting cocaine
| snorting coke | heroin addiction | heroin addict | heroin habit | heroin withdrawal
| injecting drugs | injecting heroin | iv drug | needle exchange | crack addict | crack addiction
| meth addict | meth addiction | methamphetamine addiction | methamphetamine use disorder
| cannabis addiction | cannabis dependence | cannabis use disorder | cannabis withdrawal
| cannabis psychosis | cannabis induced | cannabinoid hyperemesis | weed addiction
| marijuana addiction | ketamine addiction | ketamine bladder | benzo addiction | benzo withdrawal
| painkiller addiction | on fentanyl | an overdose | took an overdose | accidental overdose
| drug overdose | substitution therapy | medication assisted treatment | in rehab$ | went to rehab
| go to rehab | going to rehab | out of rehab | rehab centre | rehab center | rehab facility
| rehab clinic | drug rehab | residential rehab | detox unit | detox clinic | detox centre
| detox center | detox facility | medical detox | drug detox | went to detox | in detox$
| through detox | i relapsed | she relapsed | he relapsed | relapsed after | had a relapse
| relapse prevention | drug relapse | relapsed into drinking | relapse into drinking
| clean and sober | nicotine addiction | nicotine dependence | nicotine withdrawal
| nicotine patch | nicotine gum | nicotine replacement | nicotine lozenge | quit smoking
| quitting smoking | stop smoking | stopping smoking | stopped smoking | give up smoking
| gave up smoking | giving up smoking | smoking cessation | quit vaping | quitting vaping
| stop vaping | vaping addiction | chain smoker | chain smoking | heavy smoker | pack a day
| packs a day | a day smoker | ex smoker | former smoker | smoker s cough | smokers cough
| problem gambling | problem gambler | compulsive gambl | pathological gambl | gambling addict
| gambling problem | gambling disorder | gambling debt | gambling habit | gambling relapse
| gambling helpline | betting addiction | betting problem | gambled away | gambling away
| porn addiction | sex addiction | gaming addiction | gaming disorder | compulsive buying
| fetal alcohol | foetal alcohol | in recovery from addiction | in recovery from alcohol
| smart recovery meeting | addicted to crack cocaine | addicted to crystal meth
| drug detox program | years clean from | clean from drugs | clean from heroin
| gambling self exclusion | self exclusion scheme | self exclusion from gambling
| self excluded from gambling | self excluded from betting | self excluded from online
| self excluded from casino | self excluded from the casino | self excluded from all
| twelve step program | twelve step meeting | twelve step recovery | twelve steps of aa
| twelve steps of alcoholics
"""

_EN_SEXUAL = """
hiv seropositive seroconversion seroconverted antiretroviral:s truvada descovy biktarvy genvoya
triumeq dolutegravir tenofovir emtricitabine cabotegravir apretude chlamydia gonorrhoea gonorrhea
syphilis syphilitic trichomoniasis trichomonas herpes hpv genitalium stis utis chancroid
lymphogranuloma vaginosis candidiasis urethritis epididymitis prostatitis cystitis contraception
contraceptive:s iud:s intrauterine nexplanon implanon mirena kyleena jaydess provera
levonorgestrel ulipristal ellaone norethisterone desogestrel cerazette microgynon rigevidon
condom:s spermicide vasectomy vasectomies tubectomy pregnant pregnancy pregnancies miscarried
stillbirth:s stillborn ectopic preeclampsia eclampsia hyperemesis antenatal prenatal postnatal
postpartum perinatal obstetric:s obstetrician:s gynaecologist:s gynecologist:s gynaecology
gynecology gynaecological gynecological epidural:s episiotomy ivf icsi iui infertility
subfertility subfertile surrogacy clomid clomiphene menopur ovitrelle cetrotide progesterone
estradiol oestradiol utrogestan cyclogest crinone menopause menopausal perimenopause
perimenopausal postmenopausal premenopausal hrt endometriosis endometrioma adenomyosis pcos
polycystic fibroid:s vaginismus vulvodynia dyspareunia dysmenorrhoea dysmenorrhea menorrhagia
amenorrhoea amenorrhea pmdd erectile sildenafil tadalafil vardenafil viagra cialis levitra
colposcopy mammogram:s mammography hysterectomy oophorectomy salpingectomy myomectomy
genitourinary mifepristone misoprostol cervical prostate
"""
_EN_SEXUAL_PHRASES = """
aids related | aids virus | aids diagnosis | living with aids | died of aids | died from aids
| aids patient | full blown aids | aids defining | on prep$ | taking prep$ | prep prescription
| prep clinic | prep pill | on demand prep | event based prep | pep treatment
| post exposure prophylaxis | pre exposure prophylaxis | undetectable viral load | viral load
| cd4 count | sexually transmitted | sexual health clinic | sexual health screen
| sexual health test | sexual health check | gum clinic | std clinic | std screen | got an std
| sti test | sti screen | sti clinic | an sti$ | got an sti | genital wart | genital herpes
| burns when i pee | burning when i pee | pain when i pee | urinary tract infection | a uti$
| recurrent uti | on the pill | combined pill | mini pill | progestogen only pill
| morning after pill | plan b pill | hormonal coil | coil insertion | implant in my arm
| implant removed from my arm | depo injection | depo shot | the depo$ | birth control
| tubal ligation | tubes tied | female sterilisation | female sterilization | trying to conceive
| trying for a baby | morning sickness | fertility treatment | fertility clinic
| fertility specialist | fertility preservation | fertility drugs | fertility issues
| fertility problems | egg retrieval | egg donor | egg donation | sperm donor | sperm donation
| sperm count | semen analysis | low sperm | embryo transfer | frozen embryo | embryo freezing
| donor conceived | ovarian reserve | recurrent pregnancy loss | had a miscarriage
| my miscarriage | missed miscarriage | early miscarriage | recurrent miscarriage
| after a miscarriage | after miscarriage | lost the baby | lost our baby | lost my baby
| baby loss | terminate the pregnancy | terminate my pregnancy | an abortion | my abortion
| had an abortion | get an abortion | getting an abortion | abortion pill | abortion clinic
| abortion appointment | medical abortion | surgical abortion | caesarean section
| cesarean section | emergency caesarean | emergency c section | planned caesarean
| elective caesarean | had a caesarean | labour ward | labor and delivery | induction of labour
| going into labour | went into labour | went into labor | premature baby | born prematurely
| neonatal intensive | gestational diabetes | my midwife | my obstetrician | my gynaecologist
| my gynecologist | my ob gyn | my obgyn | hot flushes | hot flashes | hormone replacement
| estrogen patch | oestrogen patch | oestrogen gel | estrogen gel | vaginal oestrogen
| vaginal estrogen | vaginal dryness | early menopause | surgical menopause | premature ovarian
| ovarian cyst | premature ejaculation | erection problems | get an erection | keep an erection
| low libido | loss of libido | testosterone replacement | testosterone therapy | low testosterone
| smear test | pap smear | pap test | abnormal smear | breast lump | lump in my breast
| lump in my testicle | missed my period | my period is late | my period was late
| heavy menstrual | painful menstrual | irregular menstrual | copper iud | hormonal iud
| egg freezing cycle | elective egg freezing | social egg freezing | egg freezing clinic
| oocyte freezing | oocyte cryopreservation | blocked fallopian | in labour with
| coil contraception | tested for stds | tested for an std | std testing clinic | std test results
| a miscarriage at | a miscarriage last | a miscarriage in 20 | c section birth | had a c section
| planned c section | by c section | via c section | in the nicu | in nicu$ | nicu stay
| nicu nurse | got stds | have stds
"""

_EN_GENETIC = """
brca brca1 brca2 palb2 chek2 mlh1 msh2 msh6 pms2 tp53 apoe apoe4 mthfr c282y h63d cftr f508del
deltaf508 ldlr pcsk9 fbn1 fmr1 smn1 smn2 huntingtin g6pd antitrypsin willebrand haemochromatosis
hemochromatosis thalassaemia thalassemia haemophilia hemophilia thrombophilia
hypercholesterolaemia hypercholesterolemia marfan marfans mucopolysaccharidosis neurofibromatosis
achondroplasia phenylketonuria galactosaemia galactosemia danlos trisomy polyposis retinoblastoma
klinefelter angelman amniocentesis nuchal spinraza zolgensma nusinersen risdiplam kaftrio trikafta
ivacaftor orkambi symkevi hydroxyurea hydroxycarbamide venesection drepanocytosis 22q11
leukodystrophy adrenoleukodystrophy friedreich haemophiliac:s hemophiliac:s thalassaemic
thalassemic brugada hnpcc favism channelopathy thrombophilic amniocenteses huntingtons
"""
_EN_GENETIC_PHRASES = """
genetic test | genetic counsel | genetic screening | genetic diagnosis | genetic condition
| genetic disorder | genetic disease | genetic mutation | genetic variant | gene variant
| gene mutation | gene panel | genetic panel | pathogenic variant | likely pathogenic
| variant of uncertain significance | variant of unknown significance | predictive genetic
| diagnostic genetic | carrier screening | carrier of cystic | carrier of the mutation
| carrier of sickle | carrier of brca | carry the mutation | carries the mutation
| inherited the mutation | hereditary condition | hereditary disease | hereditary cancer
| inherited condition | inherited disorder | family history of cancer | family history of breast
| family history of heart | family history of dementia | family history of diabetes
| family history of depression | family history of alzheimer | family history of bowel
| family history of ovarian | family history of huntington | family history of mental
| family history of stroke | lynch syndrome | huntington s disease | huntington s chorea
| huntington disease | huntingtons disease | huntington s gene | cystic fibrosis | sickle cell
| factor v leiden | factor 5 leiden | fragile x$ | fragile x syndrome | tay sachs
| spinal muscular atrophy | muscular dystrophy | duchenne muscular | down syndrome
| down s syndrome | downs syndrome | turner syndrome | turner s syndrome | williams syndrome
| prader willi | rett syndrome | noonan syndrome | familial adenomatous | two copies of apoe
| non invasive prenatal | chorionic villus | combined screening test | 23andme results
| my 23andme | preimplantation genetic | embryo testing | mitochondrial disease
| tuberous sclerosis | genetic carrier | carrier status for | carrier for cystic
| carrier for sickle | carrier for tay | carrier for sma | carrier for spinal
| carrier for fragile | carrier for thalass | carrier for haemophilia | carrier for hemophilia
| carrier for duchenne | carrier for the mutation | predictive test for | predictive testing for
| carry the gene$ | carries the gene$ | carry the genes$ | inherited the gene$
| carrier of the gene$ | carriers of the gene$ | tested positive for the gene$
| carrier for the gene$ | nipt test | nipt result | nipt screening | had nipt | had the nipt
| the nipt$ | nipt blood test
"""

_EN_DISABILITY = """
amputee:s amputation:s amputated prosthesis prostheses prosthetist paraplegic:s paraplegia
tetraplegic:s tetraplegia quadriplegic:s quadriplegia hemiplegia hemiplegic deafness deafblind
tinnitus cochlear audiologist glaucoma macular retinopathy retinitis nystagmus keratoconus
amblyopia autism autistic asperger aspergers adhd dyslexia dyslexic dyspraxia dyspraxic
dyscalculia dysgraphia dysphasia tourette tourettes neurodivergent neurodivergence neurodiversity
ehcp motability rollator bifida dystrophy hydrocephalus microcephaly aphasia dysarthria makaton
ndis ssdi hemianopia hemiparesis spasticity ataxia apraxia diplegia diplegic quadriparesis
paraparesis myelomeningocele arthrogryposis audiology audiogram:s amputees neurodivergents
dyslexics paraplegics hemianopsia hydrocephalic
"""
_EN_DISABILITY_PHRASES = """
my wheelchair | her wheelchair | his wheelchair | power wheelchair | powered wheelchair
| electric wheelchair | manual wheelchair | wheelchair bound | confined to a wheelchair
| mobility scooter | mobility aid | walking frame | zimmer frame | on crutches
| walking with crutches | prosthetic leg | prosthetic limb | prosthetic arm | prosthetic hand
| prosthetic foot | artificial leg | artificial limb | lost my leg | lost his leg | lost her leg
| lost my arm | leg amputated | arm amputated | paralysed from the waist
| paralyzed from the waist | paralysed from the neck | paralyzed from the neck
| spinal cord injury | spinal injury | brain injury | registered blind | legally blind
| going blind | gone blind | went blind | blind since | blind from birth | born blind
| blind in one eye | blind in my | partially sighted | sight impaired | sight impairment
| visually impaired | visual impairment | sight loss | losing my sight | lost my sight | guide dog
| white cane | long cane | read braille | reading braille | learn braille | detached retina
| retinal detachment | hearing aid | hearing impaired | hearing impairment | hearing loss
| hard of hearing | profoundly deaf | severely deaf | partially deaf | deaf in one ear
| deaf in my | deaf since | born deaf | going deaf | learning disabilit | intellectual disabilit
| developmental delay | developmental disabilit | special educational needs | special needs child
| special needs son | special needs daughter | attention deficit | cerebral palsy
| sensory processing disorder | auditory processing disorder | tic disorder | ehc plan
| education health and care plan | disability benefit | disability allowance
| disability living allowance | disability pension | disability payment | disability claim
| disability assessment | disability tribunal | disability support pension
| personal independence payment | pip assessment | pip claim | pip award | pip application
| pip tribunal | pip appeal | pip reassessment | pip mandatory | pip form | receive pip$
| claiming pip$ | dla claim | dla award | dla form | child dla | esa claim | esa support group
| work capability assessment | limited capability for work | attendance allowance
| carer s allowance | carers allowance | blue badge parking | my blue badge
| apply for a blue badge | blue badge application | blue badge renewal | disabled person
| disabled child | disabled son | disabled daughter | disabled husband | disabled wife
| disabled mother | disabled father | disabled parent | disabled veteran | am disabled
| i m disabled | registered disabled | severely disabled | physically disabled
| disabled parking permit | disabled badge | with a disability | have a disability
| has a disability | my disability | her disability | his disability | physical disabilit
| invisible disabilit | hidden disabilit | social security disability | ssi disability
| va disability rating | am colour blind | am color blind | i m colour blind | i m color blind
| learning difficulty | learning difficulties | i m on the spectrum | am on the spectrum
| is on the spectrum | on the autism spectrum | on disability benefits | on disability allowance
| permanently disabled veteran | i m deaf and | am deaf and | i am profoundly | deaf from birth
| a wheelchair user | wheelchair user$ | i m in a wheelchair | am in a wheelchair
| is in a wheelchair | been in a wheelchair | was in a wheelchair | in a wheelchair since
| in a wheelchair after | in a wheelchair for | i use a wheelchair | he uses a wheelchair
| she uses a wheelchair | i m using a wheelchair | i have low vision | lost my vision
"""

_EN_GENERAL = """
chemotherapy chemo radiotherapy immunotherapy oncologist:s oncology carcinoma:s melanoma:s
sarcoma:s lymphoma:s leukaemia leukemia myeloma glioma glioblastoma mesothelioma neuroblastoma
metastasis metastases metastatic metastasised metastasized malignancy tumour:s tumor:s cancerous
mastectomy lumpectomy tamoxifen letrozole anastrozole exemestane herceptin trastuzumab
pembrolizumab keytruda nivolumab opdivo rituximab cisplatin carboplatin paclitaxel docetaxel
capecitabine folfox infarction nstemi stemi angina arrhythmia afib fibrillation cardiomyopathy
myocarditis pericarditis endocarditis thrombosis embolism aneurysm stent:s stented angioplasty
angiogram cabg hypertension hypertensive statin:s atorvastatin simvastatin rosuvastatin
pravastatin ezetimibe warfarin heparin apixaban eliquis rivaroxaban xarelto edoxaban dabigatran
clopidogrel ticagrelor bisoprolol metoprolol atenolol propranolol carvedilol ramipril lisinopril
enalapril perindopril amlodipine losartan candesartan valsartan irbesartan furosemide bumetanide
bendroflumethiazide indapamide spironolactone eplerenone digoxin amiodarone entresto sacubitril
diabetes diabetics hyperglycaemia hypoglycaemia hyperglycemia hypoglycemia ketoacidosis insulin
metformin gliclazide glipizide sitagliptin empagliflozin dapagliflozin canagliflozin jardiance
forxiga semaglutide ozempic wegovy rybelsus liraglutide victoza saxenda tirzepatide mounjaro
dulaglutide trulicity glargine lantus levemir novorapid humalog fiasp tresiba dexcom asthma
asthmatic:s inhaler:s salbutamol albuterol ventolin beclometasone budesonide fluticasone
formoterol salmeterol symbicort seretide fostair montelukast tiotropium spiriva copd emphysema
bronchiectasis bronchitis pneumonia tuberculosis sarcoidosis fibrosis dialysis haemodialysis
hemodialysis nephropathy nephritis glomerulonephritis ckd cirrhosis hepatitis nafld masld
hypothyroidism hyperthyroidism hypothyroid hyperthyroid thyroiditis thyroidectomy levothyroxine
thyroxine liothyronine carbimazole propylthiouracil euthyrox migraine:s triptan:s sumatriptan
rizatriptan zolmitriptan topiramate erenumab aimovig epilepsy epileptic:s levetiracetam keppra
lamotrigine lamictal carbamazepine tegretol oxcarbazepine valproate epilim depakote phenytoin
lacosamide brivaracetam clobazam dementia alzheimer alzheimers donepezil memantine rivastigmine
levodopa sinemet madopar ropinirole pramipexole rheumatoid arthritis osteoarthritis polyarthritis
psoriatic spondylitis spondylosis lupus fibromyalgia osteoporosis osteopenia sciatica colitis
crohn crohns ibd diverticulitis diverticular gastritis gastroenteritis pancreatitis appendicitis
appendectomy appendicectomy cholecystectomy cholecystitis gallstones hernia laparoscopy
laparoscopic colonoscopy endoscopy gastroscopy sigmoidoscopy colostomy ileostomy ostomy mesalazine
mesalamine azathioprine mercaptopurine infliximab adalimumab humira vedolizumab entyvio
ustekinumab stelara prednisolone prednisone methotrexate hydroxychloroquine sulfasalazine
omeprazole lansoprazole pantoprazole esomeprazole ibuprofen paracetamol acetaminophen naproxen
diclofenac codeine cocodamol tramadol morphine gabapentin pregabalin baclofen amoxicillin
doxycycline clarithromycin azithromycin flucloxacillin nitrofurantoin trimethoprim ciprofloxacin
cefalexin thrombolysis thrombectomy ocrelizumab ocrevus natalizumab tysabri fingolimod gilenya
tecfidera copaxone glatiramer interferon alemtuzumab lemtrada cladribine biopsy biopsies
hospitalised hospitalized hospitalisation hospitalization sepsis septicaemia septicemia meningitis
encephalitis encephalomyelitis anemia anaemia concussed bariatric postoperative prediabetes
prediabetic
"""
_EN_GENERAL_PHRASES = """
breast cancer | lung cancer | bowel cancer | colon cancer | colorectal cancer | skin cancer
| ovarian cancer | pancreatic cancer | stomach cancer | liver cancer | kidney cancer
| bladder cancer | thyroid cancer | brain cancer | blood cancer | throat cancer | mouth cancer
| testicular cancer | womb cancer | uterine cancer | endometrial cancer | oesophageal cancer
| esophageal cancer | bone cancer | have cancer | has cancer | had cancer | cancer diagnosis
| cancer treatment | cancer patient | cancer survivor | cancer free | terminal cancer
| cancer has spread | my cancer | her cancer | his cancer | cancer came back | cancer returned
| cancer screening | beat cancer | fighting cancer | battling cancer | cancer ward | cancer nurse
| cancer centre | cancer center | cancer clinic | stage iv cancer | stage 4 cancer
| stage 3 cancer | secondary cancer | hodgkin lymphoma | non hodgkin | r chop | radiation therapy
| cardiac arrest | heart failure | heart disease | coronary heart | coronary artery | heart bypass
| bypass surgery | triple bypass | quadruple bypass | heart surgery | heart condition
| heart valve | valve replacement | pacemaker fitted | have a pacemaker | pacemaker implant
| atrial flutter | irregular heartbeat | deep vein | pulmonary embolism | blood clot
| my cholesterol | gtn spray | type 1 diabetes | type 2 diabetes | type 1 diabetic
| type 2 diabetic | am diabetic | i m diabetic | my diabetic | diabetic retinopathy
| diabetic neuropathy | diabetic foot | pre diabetes | having a hypo | had a hypo
| coeliac disease | celiac disease | am coeliac | am celiac | i m coeliac | i m celiac
| sleep apnoea | sleep apnea | cpap machine | kidney disease | kidney failure | renal failure
| kidney transplant | liver transplant | heart transplant | lung transplant
| bone marrow transplant | stem cell transplant | transplant list | transplant recipient
| liver disease | liver failure | lung disease | chronic fatigue | me cfs | long covid
| multiple sclerosis | systemic sclerosis | lateral sclerosis | motor neurone disease
| motor neuron disease | ms relapse | ms flare | ms nurse | ms diagnosis | diagnosed with ms$
| ms symptoms | ms medication | ms fatigue | ms lesion | relapsing remitting | parkinson s disease
| parkinson disease | parkinsons disease | have parkinson | has parkinson | parkinson s diagnosis
| hashimoto s | graves disease | underactive thyroid | overactive thyroid | ulcerative colitis
| irritable bowel | a mild stroke | minor stroke | mini stroke | suffered a stroke
| stroke patient | stroke survivor | stroke unit | stroke ward | after my stroke
| after his stroke | after her stroke | since my stroke | since his stroke | since her stroke
| ischaemic stroke | ischemic stroke | haemorrhagic stroke | hemorrhagic stroke | stroke rehab
| transient ischaemic | transient ischemic | had a seizure | have seizures | having seizures
| seizure disorder | seizure medication | seizure free | tonic clonic | focal seizure
| absence seizure | have gout | gout attack | gout flare | chronic illness | terminal illness
| my illness | long term illness | serious illness | chronic pain | chronic condition
| gallbladder removed | gallbladder removal | gallbladder surgery | gall bladder | hip replacement
| knee replacement | shoulder replacement | hip operation | knee operation | back surgery
| knee surgery | hip surgery | brain surgery | weight loss surgery | gastric bypass
| gastric sleeve | keyhole surgery | acl reconstruction | acl surgery | had surgery | my surgery
| after surgery | surgery on my | post operative | general anaesthetic | general anesthetic
| admitted to hospital | admitted to the hospital | in intensive care | discharged from hospital
| in hospital with | in the hospital with | mri scan | my mri | mri results | ct scan
| my scan results | blood test results | had a concussion | a concussion$ | shingles rash
| kidney stone | heart murmur | my stoma | stoma bag | stoma nurse | stoma surgery
| graves  disease | living with cancer | diagnosed with cancer | treated for cancer
| dying of cancer | died of cancer | open heart surgery | post covid syndrome
| post covid condition | had a stroke last | had a stroke in | had a stroke and | had a stroke two
| had a stroke three | had a stroke years | had a stroke recently | had a stroke yesterday
| had a stroke when | had a stroke while | had a stroke at | think i m having a stroke
| stroke recovery after | grand mal seizure | petit mal seizure | appendix taken out
| burst appendix | ruptured appendix | appendix surgery | fatty liver disease | had a heart attack
| having a heart attack | suffered a heart attack | heart attack last | after my heart attack
| after his heart attack | after her heart attack | since my heart attack | since his heart attack
| since her heart attack | survived a heart attack | died of a heart attack | mild heart attack
| massive heart attack | silent heart attack | heart attack patient | heart attack survivor
| heart attack symptoms | a heart attack in 20 | a heart attack at | post op recovery
| post op pain | post op care | post op check | post op infection | post op appointment
| admitted to icu | admitted to the icu | was in icu | was in the icu | transferred to icu
| transferred to the icu | a week in the icu | days in the icu | have ibs | my ibs | ibs symptoms
| ibs flare | with ibs$ | diagnosed with ibs
"""

# =============================================================================== German

_DE_MENTAL = """
depressionen depressiv:e,en,er,es antidepressivum antidepressiva angststörung:en angstzustände
angsterkrankung:en panikattacke:n panikstörung:en zwangsstörung:en zwangsgedanken zwangshandlungen
zwangserkrankung ptbs belastungsstörung:en traumafolgestörung:en schizophrenie psychose:n
psychotisch:e,en,er hypomanie essstörung:en magersucht magersüchtig:e,en,er bulimie
bulimisch:e,en,er anorektisch:e,en,er suizidal:e,en,er suizidalität suizidgedanken suizidversuch:e
suizidgefährdet:e,en,er selbstmordgedanken selbstmordversuch:e selbstmordgefährdet
selbstverletzung:en selbstverletzend:e,en,es psychotherapie:n psychotherapeut:in,en,innen
psychotherapeutisch:e,en,er psychiater:in,innen psychiatrie psychiatrisch:e,en,er
verhaltenstherapie:n tiefenpsychologisch:e,en psychosomatik psychosomatisch:e,en,er therapieplatz
therapieplätze neuroleptika neuroleptikum antipsychotika antipsychotikum stimmungsstabilisierer
schlafstörung:en schlaflosigkeit agoraphobie sozialphobie hypochondrie dysthymie anhedonie
persönlichkeitsstörung:en wahnvorstellungen zwangseinweisung depersonalisation derealisation
traumatherapie traumatherapeut:in antidepressiv:e,en,um schizoaffektiv:e,en sertralin citalopram
escitalopram fluoxetin paroxetin venlafaxin duloxetin mirtazapin amitriptylin bupropion agomelatin
trazodon vortioxetin quetiapin olanzapin risperidon aripiprazol clozapin haloperidol lurasidon
lithiumtherapie diazepam lorazepam alprazolam clonazepam oxazepam zopiclon zolpidem promethazin
opipramol wochenbettdepression
"""
_DE_MENTAL_PHRASES = """
meine depression | seine depression | ihre depression | schwere depression
| mittelgradige depression | leichte depression | depression diagnostiziert
| an depression erkrankt | unter depression | unter depressionen | postpartale depression
| bipolare störung | bipolar erkrankt | manisch depressiv | manische episode | manische phase
| bin bipolar | ist bipolar erkrankt | bin schizophren | schizophren erkrankt
| paranoide schizophrenie | stimmen hören | soziale phobie | generalisierte angst
| meine angststörung | meine panikattacken | binge eating | ich ritze mich | mich ritzen
| mir das leben nehmen | psychische erkrankung | psychischen erkrankung | psychische probleme
| psychischen probleme | psychische störung | psychischen störung | psychisch krank
| psychische krise | seelische erkrankung | seelisch krank | in die psychiatrie
| in der psychiatrie | geschlossene station | geschlossenen station | nehme lithium
| lithium eingestellt | ein burnout | einen burnout | mein burnout | wegen burnout
| burnout syndrom | burnout diagnose | borderline störung | borderline persönlichkeit
| borderline syndrom | borderline diagnose | emotional instabil | dissoziative störung
| dissoziative identitätsstörung | posttraumatische belastungsstörung
| kognitive verhaltenstherapie | meine therapeutin | mein therapeut | meiner therapeutin
| meinem therapeuten | meine psychologin | mein psychologe | beim psychologen
| bei der psychologin | psychologische hilfe | psychologische betreuung
| stationäre psychotherapie | an einer depression | eine depression diagnostiziert
| eine depression gehabt | will nicht mehr leben | möchte nicht mehr leben | mich umbringen will
"""

_DE_ADDICTION = """
alkoholsucht alkoholsüchtig:e,en,er alkoholkrank:e,en,er alkoholkrankheit alkoholiker:in,innen,n
alkoholismus alkoholabhängig:e,en,er,keit alkoholentzug alkoholentwöhnung alkoholproblem:e
drogensucht drogensüchtig:e,en,er drogenabhängig:e,en,er,keit drogenentzug drogenproblem:e
heroinsucht heroinabhängig:e,en,er kokainsucht kokainabhängig:e,en,er cannabisabhängig:e,en,er
cannabisabhängigkeit crystalabhängig:e,en,er opioidabhängig:e,en,er,keit
opiatabhängig:e,en,er,keit medikamentensucht medikamentenabhängig:e,en,er,keit tablettensucht
tablettenabhängig:e,en,er benzodiazepinabhängigkeit spielsucht spielsüchtig:e,en,er
glücksspielsucht glücksspielsüchtig:e,en nikotinsucht nikotinabhängig:e,en,er,keit
raucherentwöhnung rauchentwöhnung tabakentwöhnung nikotinpflaster nikotinkaugummi
nikotinersatztherapie entzugsklinik:en entzugserscheinungen entzugssymptome entgiftungsstation
entzugsstation suchtklinik:en suchtberatung suchtberatungsstelle suchtberater:in suchttherapie
suchttherapeut:in suchterkrankung:en suchtkrank:e,en,er suchtmedizin suchtmedizinisch:e,en
suchtstation suchtrückfall substitutionstherapie substitutionsbehandlung substitutionsmittel
substitutionspatient:in,en methadon methadonprogramm levomethadon polamidon buprenorphin naltrexon
naloxon nalmefen acamprosat disulfiram vareniclin entwöhnungsbehandlung entwöhnungstherapie
selbstsperre spielersperre benzodiazepin:e opioide opiate wettsucht rauchstopp spielersperrsystem
"""
_DE_ADDICTION_PHRASES = """
kalter entzug | im entzug | einen entzug | einen alkoholentzug | qualifizierter entzug
| qualifizierten entzug | körperlicher entzug | entzug gemacht | eine entgiftung
| stationäre entgiftung | trockener alkoholiker | bin abstinent | abstinent seit | abstinent lebe
| rückfall in die sucht | rückfall mit alkohol | rückfällig geworden mit | wieder getrunken
| anonyme alkoholiker | anonyme narkotiker | anonyme spieler | kontrolliertes trinken
| co abhängigkeit | co abhängig | abhängig von alkohol | abhängig von kokain | abhängig von heroin
| abhängig von tabletten | abhängig von opioiden | abhängig von cannabis | süchtig nach kokain
| süchtig nach heroin | süchtig nach glücksspiel | kokain konsumiert | kokain genommen
| nehme kokain | mein kokainkonsum | heroin gespritzt | drogen genommen | nehme drogen
| mein drogenkonsum | mein alkoholkonsum | überdosis genommen | eine überdosis
| an einer überdosis | mit dem rauchen aufhören | mit dem rauchen aufgehört | rauchen aufhören
| mit dem dampfen aufhören | online casino verloren | beim glücksspiel verloren
| sportwetten sucht | oasis sperre | pathologisches spielen | pathologisches glücksspiel
| fetale alkoholspektrumstörung | fetales alkoholsyndrom | zum alkoholentzug
| zur entgiftung in die klinik | seit jahren trockener | crystal meth abhängig
| süchtig nach crystal
"""

_DE_SEXUAL = """
schwanger schwangere:n,r schwangerschaft:en schwangerschaftstest:s schwangerschaftswoche
schwangerschaftsabbruch schwangerschaftsabbrüche schwangerschaftsdiabetes
schwangerschaftsvergiftung fehlgeburt:en totgeburt:en eileiterschwangerschaft kaiserschnitt:e
kaiserschnitts präeklampsie hyperemesis mutterpass wochenbett frühgeburt:en frühchen
geburtsvorbereitung abtreibungspille verhütungsmittel antibabypille minipille kupferspirale
hormonspirale verhütungsring verhütungsstäbchen dreimonatsspritze kondom:e vasektomie
geschlechtskrankheit:en geschlechtskrank:e,en,er chlamydien chlamydieninfektion gonorrhö gonorrhoe
syphilis feigwarzen genitalherpes genitalwarzen trichomonaden hiv hivpositiv seropositiv
antiretroviral:e,en kinderwunschbehandlung kinderwunschzentrum kinderwunschklinik
kinderwunschpraxis eizellspende samenspende unfruchtbarkeit fruchtbarkeitsbehandlung wechseljahre
wechseljahresbeschwerden hormonersatztherapie endometriose myome myom pcos erektionsstörung:en
potenzprobleme potenzstörung:en potenzmittel frauenärztin frauenärztinnen gynäkologe gynäkologin
gynäkologisch:e,en,er schwangerschaftsbeschwerden vaginose scheidenpilz blasenentzündung
prostataentzündung gebärmutterentfernung gebärmutterhalskrebs brustkrebsvorsorge mammographie
mammografie levonorgestrel ulipristal progesteron utrogest estradiol östradiol sildenafil
tadalafil viagra cialis clomifen sternenkind embryotransfer kryotransfer hitzewallungen
krebsabstrich
"""
_DE_SEXUAL_PHRASES = """
eine abtreibung | abtreibung vornehmen | einen schwangerschaftsabbruch | ungewollt schwanger
| in der schwangerschaft | pille danach | nehme die pille | die pille absetzen | pille abgesetzt
| pille vergessen | spirale einsetzen | spirale eingesetzt | spirale gelegt | spirale ziehen
| spirale gezogen | hormonelle verhütung | sexuell übertragbar | prep einnehmen | nehme prep
| prep verschrieben | viruslast nicht nachweisbar | künstliche befruchtung
| künstlichen befruchtung | unerfüllter kinderwunsch | unerfüllten kinderwunsch
| eizellen einfrieren | eizellen eingefroren | social freezing | in der ssw$
| erektile dysfunktion | vorzeitiger samenerguss | keine erektion | vorzeitige wechseljahre
| in den wechseljahren | pco syndrom | polyzystische ovarien | mein frauenarzt
| meine frauenärztin | meinem frauenarzt | meiner frauenärztin | zum frauenarzt | zur frauenärztin
| meine hebamme | sti test | pap abstrich | auffälliger abstrich | bin unfruchtbar
| ist unfruchtbar | einen tripper | einen abbruch der schwangerschaft
"""

_DE_GENETIC = """
gentest:s genanalyse:n gendiagnostik gendiagnostikgesetz erbkrankheit:en erbgutanalyse
humangenetiker:in humangenetisch:e,en,er anlageträger:in,innen konduktorin brca brca1 brca2 apoe4
mukoviszidose sichelzellanämie sichelzellkrankheit hämochromatose hämophilie bluterkrankheit
thalassämie thrombophilie hypercholesterinämie marfan neurofibromatose trisomie pränataldiagnostik
pränataltest praenatest nackenfaltenmessung fruchtwasseruntersuchung amniozentese
chorionzottenbiopsie chorea muskeldystrophie ersttrimesterscreening palb2 chek2 mlh1 msh2 msh6
pms2 tp53 apoe cftr f508del smn1 smn2 fmr1 fbn1 ldlr ivacaftor kaftrio orkambi symkevi spinraza
zolgensma nusinersen risdiplam achondroplasie phenylketonurie galaktosämie retinoblastom polyposis
mukopolysaccharidose klinefelter angelman hydroxycarbamid thrombophilien thalassämien
neurofibromatosen leukodystrophie adrenoleukodystrophie friedreich mukoviszidosepatient:en,in
"""
_DE_GENETIC_PHRASES = """
genetische beratung | genetischen beratung | genetische untersuchung | genetischen untersuchung
| genetischer test | genetischen test | genetische erkrankung | genetischen erkrankung
| genetischer defekt | pathogene variante | träger des gens | trägerin des gens
| träger der mutation | trägerin der mutation | das gen geerbt | die mutation geerbt
| erblich vorbelastet | erbliche vorbelastung | familiäre vorbelastung | erblicher brustkrebs
| erbliche krebserkrankung | lynch syndrom | huntington krankheit | zystische fibrose
| faktor v leiden | faktor 5 leiden | fragiles x | spinale muskelatrophie | down syndrom
| familiäre hypercholesterinämie | ehlers danlos | nipt test | nicht invasiver pränataltest
| genetisch bedingte erkrankung | genmutation geerbt
"""

_DE_DISABILITY = """
schwerbehindertenausweis schwerbehinderung schwerbehindert:e,en,er schwerbehindertenrecht
pflegegrad:e pflegestufe pflegegeld pflegebedürftig:e,en,er,keit versorgungsamt
eingliederungshilfe erwerbsminderungsrente erwerbsgemindert:e,en,er erwerbsunfähig:e,en,er,keit
rollstuhlfahrer:in,innen rollator gehbehindert:e,en,er gehbehinderung querschnittslähmung
querschnittsgelähmt:e,en,er querschnittgelähmt:e,en,er amputiert:e,en,er amputation:en
beinprothese armprothese unterschenkelprothese prothesenträger:in gehörlos:e,en,er gehörlosigkeit
schwerhörig:e,en,er schwerhörigkeit hörgerät:e,en hörgeschädigt:e,en,er hörbehindert:e,en,er
hörbehinderung hörsturz tinnitus cochleaimplantat sehbehindert:e,en,er sehbehinderung
erblindet:e,en,er erblindung blindenhund:e blindenführhund blindenstock makuladegeneration glaukom
netzhautablösung autismus autist:in,en,innen autistisch:e,en,er asperger adhs
aufmerksamkeitsdefizit legasthenie legastheniker:in dyskalkulie dyspraxie lernbehinderung
lernbehindert:e,en,er tetraplegie paraplegie spastik spastisch:e,en,er inklusionsassistenz
schulbegleitung teilhabeleistungen zerebralparese elektrorollstuhl erwerbsminderung
"""
_DE_DISABILITY_PHRASES = """
meine behinderung | seine behinderung | ihre behinderung | geistige behinderung
| geistigen behinderung | körperliche behinderung | körperlichen behinderung | geistig behindert
| körperlich behindert | mehrfach behindert | behinderte menschen | behindertes kind
| behinderter mensch | behinderten sohn | behinderte tochter | bin behindert
| grad der behinderung | einen gdb$ | mein gdb$ | merkzeichen ag | merkzeichen g$ | merkzeichen b$
| merkzeichen bl | merkzeichen gl | merkzeichen h$ | merkzeichen rf | auf den rollstuhl angewiesen
| auf einen rollstuhl angewiesen | meinen rollstuhl | mein rollstuhl | blind geboren
| auf einem auge blind | auf einem ohr taub | taub geboren | trage hörgeräte | cochlea implantat
| grauer star | grünen star | grüner star | frühkindlicher autismus | down syndrom
| zerebrale lähmung | spina bifida | nach amputation | bein amputiert | arm amputiert
| md gutachten | mdk gutachten | antrag auf pflegegrad | einstufung pflegegrad
| mit einer behinderung | wegen meiner behinderung | integrationshelfer für
| bin seit geburt blind | bin seit geburt taub | bin gehörlos | bin stark sehbehindert
| gdb von 20 | gdb von 30 | gdb von 40 | gdb von 50 | gdb von 60 | gdb von 70 | gdb von 80
| gdb von 90 | gdb von 100 | einen gdb von | sitze im rollstuhl | sitzt im rollstuhl
| saß im rollstuhl | seit jahren im rollstuhl | im rollstuhl sitze | im rollstuhl sitzt
| kind mit behinderung | sohn mit behinderung | tochter mit behinderung | mit schwerbehinderung
"""

_DE_GENERAL = """
herzinfarkt:e,s vorhofflimmern herzrhythmusstörung:en herzschwäche herzinsuffizienz pectoris
herzkatheter herzschrittmacher herzklappenfehler khk thrombose:n lungenembolie bluthochdruck
hypertonie diabetes diabetiker:in,innen zuckerkrank:e,en,er zuckerkrankheit insulin insulinpumpe
krebsdiagnose krebserkrankung:en krebspatient:in,en,innen krebskrank:e,en,er brustkrebs
lungenkrebs darmkrebs prostatakrebs hautkrebs blutkrebs magenkrebs bauchspeicheldrüsenkrebs
eierstockkrebs hodenkrebs leberkrebs nierenkrebs blasenkrebs schilddrüsenkrebs kehlkopfkrebs
speiseröhrenkrebs knochenkrebs hirntumor:e tumor:e,en tumorerkrankung chemotherapie chemo
strahlentherapie immuntherapie metastasen metastasiert:e,en onkologe onkologin onkologie
onkologisch:e,en,er lymphom:e leukämie melanom:e karzinom:e sarkom:e myelom morbus sklerose
colitis ulcerosa crohn asthma asthmatiker:in copd lungenfibrose lungenemphysem lungenentzündung
bronchitis tuberkulose niereninsuffizienz nierenversagen nierenerkrankung dialyse leberzirrhose
zirrhose fettleber hepatitis leberversagen schilddrüsenunterfunktion schilddrüsenüberfunktion
hypothyreose hyperthyreose thyreoiditis migräne migräneanfall epilepsie epileptisch:e,en,er
epileptiker:in krampfanfall krampfanfälle schlaganfall:s schlaganfälle hirninfarkt hirnblutung
demenz alzheimer arthrose arthritis polyarthritis rheuma rheumatisch:e,en,er rheumatoide gicht
osteoporose fibromyalgie bandscheibenvorfall gallensteine gallenblasenentfernung
blinddarmentzündung hüftprothese knieprothese darmspiegelung magenspiegelung zöliakie reizdarm
divertikulitis pankreatitis sepsis blutvergiftung hirnhautentzündung gürtelrose sertralin
levothyroxin thyroxin euthyrox metformin ramipril bisoprolol metoprolol amlodipin candesartan
valsartan torasemid furosemid simvastatin atorvastatin marcumar phenprocoumon apixaban eliquis
rivaroxaban xarelto edoxaban clopidogrel pantoprazol omeprazol cortison kortison prednisolon
methotrexat ibuprofen paracetamol diclofenac metamizol novalgin tilidin tramadol oxycodon morphin
fentanyl pregabalin gabapentin salbutamol budesonid tamoxifen letrozol anastrozol methylphenidat
ritalin medikinet elvanse lisdexamfetamin atomoxetin guanfacin lamotrigin levetiracetam valproat
carbamazepin topiramat semaglutid ozempic mounjaro schlafapnoe
"""
_DE_GENERAL_PHRASES = """
an krebs erkrankt | krebs erkrankt | krebs diagnostiziert | typ 1 diabetes | typ 2 diabetes
| typ 1 diabetiker | typ 2 diabetiker | multiple sklerose | ms schub | ms diagnose | ms erkrankung
| an ms erkrankt | hashimoto thyreoiditis | an hashimoto | parkinson erkrankung
| parkinson krankheit | an parkinson erkrankt | an alzheimer erkrankt | koronare herzkrankheit
| bypass op | bypass operation | herz op | einen stent | einen schlaganfall | einen herzinfarkt
| l thyroxin | ass 100 | long covid | me cfs | chronisches erschöpfungssyndrom
| chronische erschöpfung | chronische krankheit | chronischen krankheit | chronisch krank
| schwer krank | unheilbar krank | gallenblase entfernt | gallenblasen op | blinddarm entfernt
| künstliches hüftgelenk | künstliches kniegelenk | hüft tep | knie tep | neue hüfte | neues knie
| stationär aufgenommen | ins krankenhaus eingeliefert | ins krankenhaus gekommen
| krankenhaus entlassen | aus dem krankenhaus entlassen | nach meiner operation
| operation am herzen | chronische schmerzen | chronischen schmerzen | nehme lithium
| mrt ergebnis | mein mrt | ct ergebnis | mein befund | meine blutwerte | post covid syndrom
| in der notaufnahme gelandet | in die notaufnahme gebracht | lag auf der intensivstation
| auf die intensivstation verlegt | liege im krankenhaus | lag im krankenhaus
| ins krankenhaus eingewiesen | an krebs$ | hat krebs$ | habe krebs$ | hatte krebs$ | mein krebs$
| meinen krebs$
"""

# =============================================================================== French

_FR_MENTAL = """
dépressif dépressive:s dépressifs antidépresseur:s anxiolytique:s neuroleptique:s
antipsychotique:s thymorégulateur:s tspt tdah schizophrénie schizoaffectif psychotique:s hypomanie
hypomaniaque anorexie anorexique:s orthorexie agoraphobie agoraphobe:s hypocondrie
hypocondriaque:s automutilation:s psychiatre:s psychiatrique:s psychiatrie psychothérapie:s
psychothérapeute:s pédopsychiatre:s insomnie:s dysthymie anhédonie catatonie dépersonnalisation
déréalisation électroconvulsivothérapie sismothérapie sertraline fluoxétine paroxétine citalopram
escitalopram venlafaxine duloxétine mirtazapine amitriptyline miansérine agomélatine vortioxétine
quétiapine olanzapine rispéridone aripiprazole clozapine halopéridol loxapine cyamémazine tercian
dépakote dépamide téralithe lorazépam diazépam alprazolam bromazépam oxazépam prazépam clonazépam
lexomil témesta xanax seresta zopiclone zolpidem imovane stilnox hydroxyzine atarax deroxat
seroplex prozac effexor
"""
_FR_MENTAL_PHRASES = """
ma dépression | sa dépression | fait une dépression | faire une dépression | dépression sévère
| dépression nerveuse | dépression post partum | dépression postnatale | dépression du post partum
| épisode dépressif | souffre de dépression | souffre d une dépression | atteint de dépression
| atteinte de dépression | diagnostiqué dépressif | suis déprimé | suis déprimée | me sens déprimé
| me sens déprimée | très déprimé | très déprimée | trouble anxieux | troubles anxieux
| crise d angoisse | crises d angoisse | attaque de panique | attaques de panique
| trouble panique | mon anxiété | anxiété généralisée | anxiété sociale | phobie sociale
| trouble obsessionnel | troubles obsessionnels | mes tocs | mon toc$ | souffre de toc
| stress post traumatique | syndrome post traumatique | trouble bipolaire | troubles bipolaires
| suis bipolaire | diagnostiqué bipolaire | maniaco dépressi | épisode maniaque | sous lithium
| traitement au lithium | suis schizophrène | patient schizophrène | diagnostiqué schizophrène
| épisode psychotique | bouffée délirante | troubles alimentaires | trouble alimentaire
| troubles du comportement alimentaire | un tca$ | boulimie nerveuse | souffre de boulimie
| pensées suicidaires | idées suicidaires | idée suicidaire | tendances suicidaires
| suis suicidaire | risque suicidaire | tentative de suicide | tentatives de suicide
| tenté de me suicider | me suicider | mettre fin à mes jours | en finir avec la vie
| envie de mourir | me scarifier | me scarifie | ma psychologue | mon psychologue | mon psy$
| ma psy$ | chez le psy | chez la psy | mon psychiatre | ma psychiatre | thérapie cognitivo
| cognitivo comportementale | en burn out | mon burn out | en burnout | mon burnout
| trouble de la personnalité | troubles de la personnalité | personnalité borderline
| trouble borderline | trouble dissociatif | troubles du sommeil | maladie mentale
| maladies mentales | trouble psychique | troubles psychiques | souffrance psychique
| soins sans consentement | dépression saisonnière | atteint d une dépression
| souffre d une grave dépression | grave dépression nerveuse | ma santé mentale
| j entends des voix | fait un burn out | fait un burnout | burn out professionnel
"""

_FR_ADDICTION = """
alcoolisme alcoolodépendance alcoolodépendant:e,s,es alcoolo:s toxicomane:s toxicomanie:s
addictologue:s addictologie addictologique héroïnomane:s cocaïnomane:s méthadone buprénorphine
subutex suboxone naltrexone nalméfène selincro naloxone nalscue acamprosate aotal disulfirame
espéral baclofène varénicline champix cytisine csapa caarud tabacologue:s tabacologie surdose:s
benzodiazépine:s opioïde:s opiacés ludopathie ludomanie héroïnomanie cocaïnomanie prenoxad nyxoid
orobupré zubsolv buvidal ludopathe:s cyberdépendance cyberaddiction korsakoff wernicke
addictovigilance anpaa alcoologue:s alcoologie polytoxicomane:s polytoxicomanie tabagique:s
"""
_FR_ADDICTION_PHRASES = """
un alcoolique | une alcoolique | suis alcoolique | est alcoolique | alcooliques anonymes
| narcotiques anonymes | joueurs anonymes | père alcoolique | mère alcoolique | mari alcoolique
| femme alcoolique | parent alcoolique | ancien alcoolique | dépendance à l alcool
| dépendant à l alcool | dépendante à l alcool | dépendance aux drogues | dépendance à la cocaïne
| dépendance aux opiacés | dépendance aux opioïdes | dépendance au cannabis
| dépendance aux benzodiazépines | dépendance au jeu | dépendance à la nicotine
| dépendance au tabac | addiction à l alcool | addiction aux drogues | addiction à la drogue
| addiction à la cocaïne | addiction à l héroïne | addiction au cannabis | addiction aux jeux
| addiction au jeu | addiction aux jeux d argent | addiction à la nicotine | mon addiction
| son addiction | accro à la cocaïne | accro à l héroïne | accro aux jeux | accro à l alcool
| consommation de cocaïne | je consomme de la cocaïne | je prends de la cocaïne
| cure de désintoxication | cure de désintox | en désintox | centre de désintoxication
| désintoxication alcoolique | sevrage alcoolique | sevrage tabagique | syndrome de sevrage
| sevrage aux opiacés | sevrage des benzodiazépines | sevrage du cannabis | fait une rechute
| rechute alcool | abstinent depuis | abstinente depuis | suis abstinent | suis abstinente
| traitement de substitution | traitement substitutif | sous méthadone | sous subutex
| arrêter de fumer | arrêté de fumer | arrêt du tabac | patch nicotinique | patchs nicotiniques
| substituts nicotiniques | gros fumeur | grosse fumeuse | ancien fumeur | ancienne fumeuse
| arrêter de vapoter | jeu pathologique | joueur pathologique | joueur compulsif
| joueuse compulsive | interdit de jeu | interdiction de jeu | interdiction volontaire de jeu
| interdit de casino | perdu au casino | dettes de jeu | syndrome d alcoolisation fœtale
| alcoolisation fœtale | delirium tremens | une overdose | fait une overdose
| en sevrage alcoolique
"""

_FR_SEXUAL = """
grossesse:s contraception contraceptif:s contraceptive:s stérilet:s préservatif:s vasectomie
nexplanon mirena syphilis chlamydia chlamydiae gonorrhée blennorragie herpès papillomavirus
trichomonase vaginose mycose vaginale vih séropositif séropositive:s séropositivité trithérapie
antirétroviral:e,aux fiv icsi infertilité ménopause ménopausée:s préménopause périménopause
endométriose adénomyose sopk fibrome:s érectile gynécologue:s gynécologique:s
obstétricien:ne,s,nes accouchement:s césarienne:s prééclampsie éclampsie péridurale:s
échographie:s amniocentèse mammographie:s colposcopie hystérectomie levonorgestrel lévonorgestrel
ulipristal ellaone norlevo progestérone utrogestan œstradiol estradiol sildénafil tadalafil viagra
cialis mifépristone misoprostol clomifène condylomes
"""
_FR_SEXUAL_PHRASES = """
suis enceinte | es enceinte | est enceinte | être enceinte | tomber enceinte | tombée enceinte
| femme enceinte | femmes enceintes | semaines de grossesse | mois de grossesse
| test de grossesse | fausse couche | fausses couches | un avortement | mon avortement | une ivg
| mon ivg | ivg médicamenteuse | interruption volontaire de grossesse
| interruption médicale de grossesse | mort in utero | sous pilule | la pilule contraceptive
| pilule du lendemain | prends la pilule | arrêté la pilule | arrêter la pilule | oublié ma pilule
| oubli de pilule | poser un stérilet | pose de stérilet | implant contraceptif
| ligature des trompes | infection sexuellement | infections sexuellement | maladie sexuellement
| une ist$ | les ist$ | dépistage des ist | dépistage ist | une mst$ | test vih | test du vih
| sous prep | prep vih | traitement post exposition | charge virale indétectable | charge virale
| procréation médicalement assistée | parcours pma | une pma | en pma | don d ovocytes
| don de sperme | congélation des ovocytes | congeler mes ovocytes | transfert d embryon
| transfert embryonnaire | stimulation ovarienne | bouffées de chaleur
| traitement hormonal substitutif | traitement hormonal de la ménopause | ovaires polykystiques
| troubles de l érection | trouble de l érection | problèmes d érection | éjaculation précoce
| ma gynécologue | mon gynécologue | mon gynéco | ma gynéco | ma sage femme | frottis cervical
| frottis de dépistage | frottis anormal | kyste ovarien | règles douloureuses | règles abondantes
| retard de règles | un frottis | mon frottis | enceinte de 1$ | enceinte de 2$ | enceinte de 3$
| enceinte de 4$ | enceinte de 5$ | enceinte de 6$ | enceinte de 7$ | enceinte de 8$
| enceinte de 9$ | enceinte depuis | avortements clandestins | ai avorté | le sida | du sida
| au sida | contre le sida | malade du sida | malades du sida | sida et | un diu$ | le diu$
| mon diu$ | pose d un diu | diu au cuivre | diu hormonal | enfant mort né | bébé mort né
"""

_FR_GENETIC = """
brca brca1 brca2 apoe4 mucoviscidose drépanocytose drépanocytaire:s hémochromatose hémophilie
hémophile:s thalassémie thrombophilie hypercholestérolémie marfan neurofibromatose trisomie
trisomique:s amniocentèse caryotype dpni palb2 chek2 mlh1 msh2 msh6 pms2 tp53 apoe cftr f508del
smn1 smn2 fmr1 fbn1 ldlr ivacaftor kaftrio orkambi symkevi spinraza zolgensma nusinersen risdiplam
achondroplasie phénylcétonurie galactosémie myopathie:s rétinoblastome polypose chorée huntingtine
dystrophie:s amyotrophie mucopolysaccharidose thalassémique:s klinefelter angelman oncogénétique
oncogénéticien:ne,s,nes hydroxyurée siklos leucodystrophie adrénoleucodystrophie friedreich
thrombophile:s
"""
_FR_GENETIC_PHRASES = """
test génétique | tests génétiques | conseil génétique | conseiller en génétique
| consultation de génétique | analyse génétique | diagnostic génétique | dépistage génétique
| maladie génétique | maladies génétiques | maladie héréditaire | maladies héréditaires
| anomalie génétique | mutation génétique | mutation brca | variant pathogène | porteur sain
| porteuse saine | porteur de la mutation | porteuse de la mutation | porteur du gène
| porteuse du gène | porteurs sains | syndrome de lynch | maladie de huntington
| chorée de huntington | fibrose kystique | facteur v leiden | facteur 5 leiden | x fragile
| amyotrophie spinale | myopathie de duchenne | dystrophie musculaire | syndrome de down
| syndrome de marfan | ehlers danlos | syndrome de turner | syndrome de klinefelter
| maladie de tay sachs | dépistage prénatal non invasif | diagnostic prénatal
| diagnostic préimplantatoire | antécédents familiaux de cancer | antécédents familiaux de
"""

_FR_DISABILITY = """
mdph rqth malvoyant:e,s,es malvoyance malentendant:e,s,es surdité cécité paraplégique:s paraplégie
tétraplégique:s tétraplégie hémiplégie hémiplégique:s amputé:e,s,es amputation:s prothèse:s
cochléaire:s glaucome maculaire rétinopathie acouphène:s autisme autiste:s asperger tdah dyslexie
dyslexique:s dyspraxie dyspraxique:s dyscalculie dysphasie dysphasique:s dysorthographie
polyhandicap polyhandicapé:e,s,es déambulateur hémianopsie hémiparésie spasticité ataxie apraxie
dysarthrie dysgraphie diplégie tétraparésie paraparésie amblyopie kératocône nystagmus rétinite
audioprothésiste:s audiogramme:s orthophoniste:s ergothérapeute:s psychomotricien:ne,s,nes aesh
sessad cotorep neuroatypique:s surdicécité malentendance hydrocéphalie myopathe:s
"""
_FR_DISABILITY_PHRASES = """
en situation de handicap | handicap moteur | handicap mental | handicap psychique
| handicap visuel | handicap auditif | handicap invisible | handicap cognitif
| reconnaissance du handicap | reconnaissance de la qualité de travailleur handicapé
| carte mobilité inclusion | carte d invalidité | carte cmi | taux d incapacité
| taux d invalidité | pension d invalidité | allocation adulte handicapé
| allocation aux adultes handicapés | de l aah | l aah$ | touche l aah
| prestation de compensation | la pch$ | dossier mdph | devenu aveugle | devenue aveugle
| aveugle de naissance | chien d aveugle | chien guide | canne blanche | non voyant | non voyante
| sourd de naissance | sourde de naissance | sourd profond | sourde profonde | appareil auditif
| appareils auditifs | implant cochléaire | perte auditive | déficience visuelle
| déficience auditive | déficience intellectuelle | troubles dys | trouble du spectre de l autisme
| trouble du spectre autistique | un tsa$ | trouble du neurodéveloppement | retard mental
| infirmité motrice cérébrale | paralysie cérébrale | spina bifida | lésion de la moelle
| blessé médullaire | jambe amputée | enfant handicapé | adulte handicapé | travailleur handicapé
| handicapé moteur | handicapé physique | handicapé mental | avec des béquilles | sous béquilles
| dégénérescence maculaire | mon handicap moteur | à cause de mon handicap
| suis sourd d une oreille | suis sourde d une oreille | sourd d une oreille
| sourde d une oreille | suis devenu sourd | suis devenue sourde | aveugle depuis
| aveugle d un œil | suis non voyant | suis non voyante | suis en fauteuil roulant
| est en fauteuil roulant | mon fauteuil roulant | son fauteuil roulant | dans un fauteuil roulant
| se déplace en fauteuil | suis handicapé | suis handicapée | fauteuil roulant électrique
"""

_FR_GENERAL = """
infarctus fibrillation angor coronarographie stent:s hypertension hypertendu:e,s,es diabète
insuline insulinodépendant:e,s,es tumeur:s chimiothérapie:s chimio radiothérapie immunothérapie
métastase:s métastatique:s oncologue:s cancérologue:s oncologie lymphome:s leucémie:s mélanome:s
myélome carcinome:s sarcome:s cancéreux cancéreuse mastectomie tumorectomie rectocolite crohn
asthme asthmatique:s bpco emphysème bronchite pneumonie tuberculose dialyse dialysé:e,s,es
cirrhose hépatite:s hypothyroïdie hyperthyroïdie thyroïdite basedow migraine:s migraineux
migraineuse épilepsie épileptique:s hémiparésie démence alzheimer arthrose polyarthrite arthrite
rhumatisme:s ostéoporose fibromyalgie sciatique lombalgie hernie appendicite cholécystectomie
appendicectomie coloscopie endoscopie gastroscopie stomie sepsis septicémie méningite encéphalite
anémie hospitalisé:e,s,es hospitalisation:s angine sertraline lévothyroxine levothyrox metformine
ramipril bisoprolol amlodipine furosémide lasilix atorvastatine simvastatine rosuvastatine
kardégic apixaban eliquis rivaroxaban xarelto clopidogrel warfarine préviscan oméprazole
ésoméprazole pantoprazole inexium cortisone prednisone prednisolone solupred méthotrexate
paracétamol doliprane dafalgan efferalgan ibuprofène advil tramadol oxycodone morphine fentanyl
prégabaline gabapentine salbutamol ventoline budésonide tamoxifène létrozole anastrozole
méthylphénidate ritaline quasym medikinet atomoxétine lamotrigine lévétiracétam keppra valproate
dépakine carbamazépine tégrétol topiramate sémaglutide ozempic trulicity phlébite
"""
_FR_GENERAL_PHRASES = """
mon cancer | son cancer | atteint d un cancer | atteinte d un cancer | cancer du sein
| cancer du poumon | cancer du côlon | cancer colorectal | cancer de la prostate
| cancer de la peau | cancer du col | cancer de l ovaire | cancer des ovaires | cancer du pancréas
| cancer de l estomac | cancer du foie | cancer du rein | cancer de la vessie
| cancer de la thyroïde | cancer du sang | cancer de la gorge | cancer des testicules
| cancer de l utérus | cancer de l œsophage | cancer des os | cancer du cerveau
| cancer généralisé | cancer métastatique | lutte contre le cancer | maladie de hodgkin
| crise cardiaque | arrêt cardiaque | insuffisance cardiaque | insuffisance rénale
| insuffisance respiratoire | insuffisance hépatique | maladie coronarienne | pontage coronarien
| stimulateur cardiaque | un avc$ | d un avc$ | fait un avc | victime d un avc | après son avc
| après mon avc | avc ischémique | accident vasculaire | embolie pulmonaire | diabétique de type
| suis diabétique | est diabétique | sclérose en plaques | sclérose latérale | maladie de charcot
| maladie de crohn | maladie de parkinson | maladie d alzheimer | maladie de basedow
| maladie d hashimoto | maladie cœliaque | suis cœliaque | suis coeliaque | apnée du sommeil
| covid long | syndrome post covid | fatigue chronique | crise d épilepsie | crises d épilepsie
| crise convulsive | une crise de goutte | maladie chronique | maladies chroniques | maladie grave
| ablation de la vésicule | vésicule biliaire | calculs biliaires | calcul rénal | opéré du cœur
| opération du cœur | greffe de rein | greffe du foie | greffe de moelle | greffe cardiaque
| en réanimation | aux soins intensifs | sortie d hôpital | séjour à l hôpital | suis sous chimio
| sous chimiothérapie | mon irm | une irm | résultats de l irm | sous insuline
| sous anticoagulant | sous anticoagulants | douleurs chroniques | sous lithium | côlon irritable
| intestin irritable | un zona | mon pacemaker | porteur d un pacemaker | passé aux urgences
| admis aux urgences | été aux urgences | mes analyses de sang | résultats du scanner
| un cancer du | un cancer de la | un cancer de l | un cancer des | j ai un cancer
| a un cancer du | a un cancer de
"""

# =============================================================================== Spanish

_ES_MENTAL = """
depresivo:s depresiva:s antidepresivo:s ansiolítico:s antipsicótico:s neuroléptico:s tept tdah
esquizofrenia esquizofrénico:s esquizofrénica:s esquizoafectivo psicótico:s psicótica:s hipomanía
anorexia anoréxico:s anoréxica:s bulimia bulímico:s bulímica:s ortorexia agorafobia hipocondría
hipocondríaco:s autolesión autolesiones autolesionarme psiquiatra:s psiquiátrico:s psiquiátrica:s
psiquiatría psicoterapia:s psicoterapeuta:s insomnio distimia anhedonia catatonia
despersonalización desrealización suicidarme electroconvulsiva sertralina fluoxetina paroxetina
citalopram escitalopram venlafaxina desvenlafaxina duloxetina mirtazapina amitriptilina bupropión
vortioxetina trazodona agomelatina quetiapina olanzapina risperidona aripiprazol clozapina
haloperidol lurasidona paliperidona lorazepam orfidal diazepam alprazolam trankimazin clonazepam
rivotril lormetazepam bromazepam lexatin zolpidem stilnox hidroxizina atarax
"""
_ES_MENTAL_PHRASES = """
tengo depresión | tenía depresión | con depresión | mi depresión | su depresión | depresión mayor
| depresión severa | depresión grave | depresión posparto | depresión postparto
| episodio depresivo | trastorno depresivo | sufro de depresión | sufro depresión
| padezco depresión | diagnosticado de depresión | diagnosticada de depresión
| diagnosticado con depresión | diagnosticada con depresión | estoy deprimid | me siento deprimid
| trastorno de ansiedad | trastornos de ansiedad | ataque de ansiedad | ataques de ansiedad
| crisis de ansiedad | tengo ansiedad | mi ansiedad | ansiedad generalizada | ansiedad social
| sufro de ansiedad | sufro ansiedad | padezco ansiedad | ataque de pánico | ataques de pánico
| crisis de pánico | trastorno de pánico | fobia social | tengo toc$ | padezco toc$ | mi toc$
| trastorno obsesivo | estrés postraumático | estrés post traumático | trastorno bipolar
| soy bipolar | diagnosticado bipolar | diagnosticada bipolar | episodio maníaco | tomo litio
| tratamiento con litio | brote psicótico | episodio psicótico | trastorno alimentario
| trastornos alimentarios | trastorno de la conducta alimentaria
| trastornos de la conducta alimentaria | ideas suicidas | ideación suicida
| pensamientos suicidas | intento de suicidio | intentos de suicidio | intenté suicidarme
| quiero suicidarme | quitarme la vida | acabar con mi vida | quiero morirme | me autolesiono
| mi psicólogo | mi psicóloga | al psicólogo | a la psicóloga | mi psiquiatra
| terapia cognitivo conductual | cognitivo conductual | síndrome de burnout | tengo burnout
| trastorno límite | trastorno de personalidad | trastornos de personalidad | tengo tlp
| trastorno disociativo | trastornos del sueño | enfermedad mental | enfermedades mentales
| problemas de salud mental | trastorno mental | trastornos mentales | ingreso psiquiátrico
| ingresado en psiquiatría | ingresada en psiquiatría | unidad de agudos | tuve una depresión
| tengo una depresión | mi salud mental
"""

_ES_ADDICTION = """
alcoholismo drogodependencia:s drogodependiente:s drogadicto:s drogadicta:s drogadicción
toxicómano:s toxicómana:s toxicomanía heroinómano:s heroinómana:s cocainómano:s cocainómana:s
ludopatía ludópata:s metadona buprenorfina suboxone naltrexona naloxona nalmefeno selincro
acamprosato disulfiram antabus vareniclina champix citisina benzodiazepina:s benzodiacepina:s
opioide:s opiáceo:s deshabituación autoprohibición rgiaj exfumador exfumadora heroinomanía
cocainomanía politoxicómano:s politoxicómana:s politoxicomanía zubsolv buvidal korsakoff wernicke
ciberadicción antabús ludopatías drogodependientes
"""
_ES_ADDICTION_PHRASES = """
soy alcohólico | soy alcohólica | es alcohólico | es alcohólica | un alcohólico | una alcohólica
| alcohólicos anónimos | narcóticos anónimos | jugadores anónimos | padre alcohólico
| madre alcohólica | marido alcohólico | ex alcohólico | adicción al alcohol
| adicción a las drogas | adicción a la cocaína | adicción a la heroína | adicción al cannabis
| adicción a los porros | adicción al juego | adicción a las apuestas | adicción a la nicotina
| adicción al tabaco | adicción a los opioides | adicción a las benzodiacepinas
| adicción a los ansiolíticos | mi adicción | su adicción | adicto a la cocaína
| adicto a las drogas | adicto al alcohol | adicto al juego | adicto a las apuestas
| adicta a la cocaína | adicta a las drogas | soy adicto | soy adicta | dependencia del alcohol
| dependencia al alcohol | dependencia de la cocaína | dependencia a los opioides
| consumo cocaína | consumía cocaína | tomo cocaína | esnifar cocaína | problemas con el alcohol
| problema con el alcohol | problema con las drogas | problemas con las drogas
| problema con el juego | centro de desintoxicación | clínica de desintoxicación
| desintoxicación alcohólica | desintoxicación de drogas | en desintoxicación
| síndrome de abstinencia | abstinencia alcohólica | tuve una recaída | he recaído | recaí en
| recaída en el alcohol | recaída en las drogas | tratamiento con metadona | programa de metadona
| tratamiento sustitutivo | terapia de sustitución | dejar de fumar | dejé de fumar
| dejando de fumar | parches de nicotina | chicles de nicotina | fumador empedernido
| gran fumador | ex fumador | juego patológico | jugador patológico | juego compulsivo
| jugador compulsivo | autoexclusión del juego | registro de interdicciones
| perdí todo en el casino | deudas de juego | proyecto hombre | sin beber desde | meses sin beber
| años sin beber | días sin beber | sobredosis de heroína | una sobredosis | tuvo una sobredosis
| síndrome alcohólico fetal | espectro alcohólico fetal | delirium tremens | mi consumo de cocaína
"""

_ES_SEXUAL = """
embarazada:s embarazo:s embarazos anticonceptivo:s anticonceptiva:s anticoncepción preservativo:s
vasectomía sífilis clamidia clamidias gonorrea herpes vph papiloma tricomoniasis vaginosis
candidiasis vih seropositivo:s seropositiva:s antirretroviral:es fiv icsi infertilidad ovodonación
menopausia menopáusica:s perimenopausia climaterio endometriosis adenomiosis mioma:s eréctil
ginecólogo:s ginecóloga:s ginecológico:s ginecológica:s obstetra:s tocólogo:s preeclampsia
eclampsia epidural ecografía:s amniocentesis citología:s mamografía:s colposcopia histerectomía
levonorgestrel ulipristal ellaone norlevo postinor progesterona utrogestan estradiol sildenafilo
tadalafilo viagra cialis mifepristona misoprostol clomifeno
"""
_ES_SEXUAL_PHRASES = """
estoy embarazada | quedarme embarazada | semanas de embarazo | meses de embarazo
| prueba de embarazo | test de embarazo | un aborto | mi aborto | aborto espontáneo
| abortos espontáneos | aborto provocado | aborto farmacológico | pastilla abortiva
| interrupción voluntaria del embarazo | interrupción del embarazo | una ive$ | perdí el bebé
| perdí al bebé | muerte fetal | píldora anticonceptiva | píldora del día después
| pastilla del día después | tomo la píldora | tomo la pastilla | dejé la píldora
| implante anticonceptivo | anillo vaginal | ligadura de trompas | infección de transmisión sexual
| infecciones de transmisión sexual | enfermedad de transmisión sexual
| enfermedades de transmisión sexual | una its$ | las its$ | prueba de its | una ets$ | las ets$
| verrugas genitales | prueba del vih | test del vih | tomo prep | tomar la prep
| profilaxis pre exposición | profilaxis post exposición | profilaxis postexposición
| carga viral indetectable | carga viral | reproducción asistida | inseminación artificial
| fecundación in vitro | vitrificación de óvulos | congelar óvulos | congelar mis óvulos
| congelación de óvulos | donación de óvulos | donante de semen | transferencia embrionaria
| transferencia de embriones | tratamiento de fertilidad | clínica de fertilidad
| problemas de fertilidad | terapia hormonal sustitutiva | tratamiento hormonal sustitutivo
| ovario poliquístico | ovarios poliquísticos | quiste ovárico | problemas de erección
| eyaculación precoz | impotencia sexual | mi ginecólogo | mi ginecóloga | mi matrona
| parto prematuro | el parto$ | trabajo de parto | reglas dolorosas | retraso de la regla
| sofocos de la menopausia | un condón | el condón | sin condón | con condón | usar condón
| los condones | sin condones | usar condones | una cesárea | por cesárea | la cesárea
| mi cesárea | cesárea programada | cesárea de urgencia | no me baja la regla | el sida | del sida
| contra el sida | enfermo de sida | enferma de sida | enfermos de sida | sida y | el diu$
| un diu$ | mi diu$ | diu de cobre | diu hormonal | ponerme el diu | quitarme el diu
| di a luz a un | di a luz a mi | di a luz hace | después de dar a luz | antes de dar a luz
| dar a luz a un | dar a luz a mi
"""

_ES_GENETIC = """
brca brca1 brca2 apoe4 drepanocitosis hemocromatosis hemofilia hemofílico:s talasemia trombofilia
hipercolesterolemia marfan neurofibromatosis trisomía amniocentesis cariotipo genotipado palb2
chek2 mlh1 msh2 msh6 pms2 tp53 apoe cftr f508del smn1 smn2 fmr1 fbn1 ldlr ivacaftor kaftrio
orkambi symkevi spinraza zolgensma nusinersen risdiplam acondroplasia fenilcetonuria galactosemia
miopatía:s distrofia:s retinoblastoma poliposis mucopolisacaridosis talasémico:s talasémica:s
amiotrofia klinefelter angelman hidroxiurea hidroxicarbamida leucodistrofia adrenoleucodistrofia
friedreich trombofílico:s hemofílica:s drepanocítico:s drepanocítica:s oncogenética
"""
_ES_GENETIC_PHRASES = """
prueba genética | pruebas genéticas | test genético | tests genéticos | estudio genético
| análisis genético | diagnóstico genético | consejo genético | asesoramiento genético
| enfermedad genética | enfermedades genéticas | enfermedad hereditaria
| enfermedades hereditarias | mutación genética | mutación brca | variante patogénica
| portador sano | portadora sana | portador de la mutación | portadora de la mutación
| portador del gen | portadora del gen | síndrome de lynch | enfermedad de huntington
| corea de huntington | factor v de leiden | factor v leiden | factor 5 leiden | x frágil
| atrofia muscular espinal | distrofia muscular | síndrome de down | síndrome de marfan
| ehlers danlos | síndrome de turner | síndrome de klinefelter | enfermedad de tay sachs
| células falciformes | test prenatal no invasivo | diagnóstico prenatal
| diagnóstico genético preimplantacional | antecedentes familiares de
"""

_ES_DISABILITY = """
minusválido:s minusválida:s invidente:s sordera sordoceguera hipoacusia tetrapléjico:s
tetrapléjica:s tetraplejia parapléjico:s parapléjica:s paraplejia hemiplejia hemipléjico:s
amputado:s amputada:s amputación:es prótesis coclear:es glaucoma retinopatía acúfeno:s tinnitus
autismo autista:s asperger tdah dislexia disléxico:s disléxica:s dispraxia discalculia disfasia
hemianopsia hemiparesia espasticidad ataxia apraxia disartria disgrafía diplejia tetraparesia
paraparesia ambliopía queratocono nistagmo retinosis audioprotesista:s logopeda:s
neurodivergente:s neurodiversidad sordomudo:s sordomuda:s sordociego:s sordociega:s hipoacúsico:s
hipoacúsica:s bífida hidrocefalia disléxicos
"""
_ES_DISABILITY_PHRASES = """
mi discapacidad | una discapacidad | grado de discapacidad | certificado de discapacidad
| porcentaje de discapacidad | reconocimiento de discapacidad | discapacidad intelectual
| discapacidad física | discapacidad visual | discapacidad auditiva | discapacidad psíquica
| pensión por discapacidad | pensión de invalidez | incapacidad permanente | invalidez permanente
| gran invalidez | grado de dependencia | ley de dependencia | valoración de dependencia
| ciego de nacimiento | ciega de nacimiento | perro guía | perro lazarillo | bastón blanco
| baja visión | sordo de nacimiento | sorda de nacimiento | pérdida auditiva | pérdida de audición
| implante coclear | llevo audífono | uso audífono | audífonos para la sordera
| trastorno del espectro autista | niño con tea | niña con tea | hijo con tea | hija con tea
| diagnosticado de tea | diagnosticada de tea | diagnóstico de tea | diagnosticado con tea
| parálisis cerebral | espina bífida | lesión medular | síndrome de down
| necesidades educativas especiales | pierna amputada | con muletas | en muletas
| tarjeta de estacionamiento para personas con discapacidad | soy sordo profundo
| soy sorda profunda | me quedé ciego | me quedé ciega | me quedé sordo | me quedé sorda
| sordo de un oído | sorda de un oído | ciego de un ojo | ciega de un ojo | soy invidente
| soy discapacitad | hijo discapacitad | hija discapacitad | estoy discapacitad
| quedó discapacitad | quedé discapacitad | voy en silla de ruedas | va en silla de ruedas
| mi silla de ruedas | su silla de ruedas | uso silla de ruedas | usa silla de ruedas
| usuario de silla de ruedas | usuaria de silla de ruedas | en silla de ruedas desde
| silla de ruedas eléctrica | hijo con discapacidad | hija con discapacidad
| niño con discapacidad | niña con discapacidad
"""

_ES_GENERAL = """
fibrilación cateterismo hipertensión hipertenso:s hipertensa:s diabetes insulina
insulinodependiente:s tumor:es quimioterapia:s quimio radioterapia inmunoterapia metástasis
metastásico:s oncólogo:s oncóloga:s oncología linfoma:s leucemia:s melanoma:s mieloma carcinoma:s
sarcoma:s mastectomía tumorectomía crohn asmático:s asmática:s epoc enfisema bronquitis neumonía
tuberculosis diálisis hemodiálisis cirrosis hepatitis hipotiroidismo hipertiroidismo tiroiditis
migraña:s jaqueca:s epilepsia epiléptico:s epiléptica:s ictus hemiparesia demencia alzhéimer
alzheimer artrosis artritis poliartritis reuma reumatismo osteoporosis fibromialgia ciática
lumbalgia hernia apendicitis colecistectomía apendicectomía colonoscopia endoscopia gastroscopia
ostomía colostomía sepsis septicemia meningitis encefalitis anemia hospitalizado:s hospitalizada:s
hospitalización:es sertralina levotiroxina eutirox metformina enalapril ramipril bisoprolol
amlodipino furosemida seguril atorvastatina simvastatina rosuvastatina adiro sintrom acenocumarol
apixabán apixaban eliquis rivaroxabán rivaroxaban xarelto clopidogrel omeprazol pantoprazol
prednisona metotrexato paracetamol ibuprofeno nolotil metamizol tramadol oxicodona fentanilo
morfina pregabalina gabapentina salbutamol ventolin budesonida tamoxifeno letrozol anastrozol
metilfenidato rubifen medikinet elvanse lisdexanfetamina atomoxetina lamotrigina levetiracetam
valproato depakine carbamazepina topiramato semaglutida ozempic celiaquía baipás inhalador
inhaladores
"""
_ES_GENERAL_PHRASES = """
mi cáncer | su cáncer | tengo cáncer | tiene cáncer | tenía cáncer | cáncer de mama
| cáncer de pulmón | cáncer de colon | cáncer colorrectal | cáncer de próstata | cáncer de piel
| cáncer de cuello | cáncer de ovario | cáncer de páncreas | cáncer de estómago | cáncer de hígado
| cáncer de riñón | cáncer de vejiga | cáncer de tiroides | cáncer de sangre | cáncer de garganta
| cáncer de testículo | cáncer de útero | cáncer de esófago | cáncer de huesos | cáncer terminal
| cáncer metastásico | enfermo de cáncer | enferma de cáncer | paciente con cáncer
| pacientes con cáncer | lucha contra el cáncer | enfermedad de hodgkin | ataque al corazón
| ataque cardíaco | paro cardíaco | parada cardíaca | parada cardiorrespiratoria
| insuficiencia cardíaca | insuficiencia cardiaca | insuficiencia renal
| insuficiencia respiratoria | insuficiencia hepática | bypass coronario | derrame cerebral
| infarto cerebral | accidente cerebrovascular | un acv$ | sufrió un acv | embolia pulmonar
| trombosis venosa | soy diabético | soy diabética | diabético tipo | esclerosis múltiple
| esclerosis lateral | enfermedad de crohn | enfermedad de parkinson | enfermedad de alzheimer
| enfermedad de graves | enfermedad celíaca | enfermedad celiaca | soy celíaco | soy celíaca
| apnea del sueño | covid persistente | covid prolongado | síndrome post covid | fatiga crónica
| crisis epiléptica | crisis epilépticas | ataque epiléptico | ataque de gota | enfermedad crónica
| enfermedades crónicas | enfermo crónico | enferma crónica | enfermedad grave
| me quitaron la vesícula | operación de vesícula | extirpación de la vesícula | cálculos biliares
| piedras en la vesícula | cálculo renal | piedras en el riñón | operado del corazón
| operada del corazón | operación de corazón | trasplante de riñón | trasplante de hígado
| trasplante de médula | trasplante de corazón | ingresado en el hospital
| ingresada en el hospital | ingresado en la uci | ingresada en la uci | ingresado en uci
| ingresada en uci | en cuidados intensivos | alta hospitalaria | en tratamiento con quimio
| en quimioterapia | mis análisis de sangre | mi resonancia | resultados de la resonancia
| mi tac$ | un tac$ | dolor crónico | colon irritable | intestino irritable | tomo sintrom
| con sintrom | un infarto | infarto de miocardio | infarto agudo | sufrió un infarto
| tuvo un infarto | me dio un infarto | llevo marcapasos | un marcapasos | ponerme un marcapasos
| diabética tipo | tengo párkinson | con párkinson | padece párkinson | el párkinson
| enfermo de párkinson | enferma de párkinson | enfermo con cáncer | estuve en urgencias
| acabé en urgencias | me dieron el alta del hospital | una resonancia magnética | tengo asma
| el asma$ | con asma | ataque de asma | crisis de asma | asma bronquial | padezco asma
| asma alérgica | sufro de asma | mi asma | un cáncer de | tengo un cáncer | tiene un cáncer
| estuve ingresado una | estuve ingresada una | estuve ingresado dos | estuve ingresada dos
| estuve ingresado varios | estuve ingresada varios
"""

# =============================================================================== assembly

_BLOCKS: Final = {
    ("en", "mental"): (_EN_MENTAL, _EN_MENTAL_PHRASES),
    ("en", "addiction"): (_EN_ADDICTION, _EN_ADDICTION_PHRASES),
    ("en", "sexual"): (_EN_SEXUAL, _EN_SEXUAL_PHRASES),
    ("en", "genetic"): (_EN_GENETIC, _EN_GENETIC_PHRASES),
    ("en", "disability"): (_EN_DISABILITY, _EN_DISABILITY_PHRASES),
    ("en", "general"): (_EN_GENERAL, _EN_GENERAL_PHRASES),
    ("de", "mental"): (_DE_MENTAL, _DE_MENTAL_PHRASES),
    ("de", "addiction"): (_DE_ADDICTION, _DE_ADDICTION_PHRASES),
    ("de", "sexual"): (_DE_SEXUAL, _DE_SEXUAL_PHRASES),
    ("de", "genetic"): (_DE_GENETIC, _DE_GENETIC_PHRASES),
    ("de", "disability"): (_DE_DISABILITY, _DE_DISABILITY_PHRASES),
    ("de", "general"): (_DE_GENERAL, _DE_GENERAL_PHRASES),
    ("fr", "mental"): (_FR_MENTAL, _FR_MENTAL_PHRASES),
    ("fr", "addiction"): (_FR_ADDICTION, _FR_ADDICTION_PHRASES),
    ("fr", "sexual"): (_FR_SEXUAL, _FR_SEXUAL_PHRASES),
    ("fr", "genetic"): (_FR_GENETIC, _FR_GENETIC_PHRASES),
    ("fr", "disability"): (_FR_DISABILITY, _FR_DISABILITY_PHRASES),
    ("fr", "general"): (_FR_GENERAL, _FR_GENERAL_PHRASES),
    ("es", "mental"): (_ES_MENTAL, _ES_MENTAL_PHRASES),
    ("es", "addiction"): (_ES_ADDICTION, _ES_ADDICTION_PHRASES),
    ("es", "sexual"): (_ES_SEXUAL, _ES_SEXUAL_PHRASES),
    ("es", "genetic"): (_ES_GENETIC, _ES_GENETIC_PHRASES),
    ("es", "disability"): (_ES_DISABILITY, _ES_DISABILITY_PHRASES),
    ("es", "general"): (_ES_GENERAL, _ES_GENERAL_PHRASES),
}

_TRANSLIT_DE: Final = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
_LIGATURES: Final = str.maketrans({"ß": "ss", "œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _spellings(text: str) -> set[str]:
    """`text` as written, without accents, and with German umlauts as ae/oe/ue."""
    if text.isascii():
        return {text}
    return {text, _strip_accents(text), _strip_accents(text.translate(_TRANSLIT_DE))}


def _cased(text: str) -> set[str]:
    """Every way the words of `text` can look once folded: a non-ASCII first letter keeps its
    case, so it is matched lower-case and capitalised. Spaces are kept as written."""
    out = {""}
    for i, word in enumerate(text.split(" ")):
        forms = {word, word[:1].upper() + word[1:]} if word[:1] > "\x7f" else {word}
        out = {f"{head} {form}" if i else form for head in out for form in forms}
    return out


def _check(item: str) -> None:
    for ch in item:
        if ch.isascii() and not (ch.islower() or ch.isdigit() or ch in " $"):
            raise ValueError(f"not in folded form: {item!r}")


def _words(block: str) -> set[bytes]:
    """'stem:a,b' gives stem, stema, stemb, each in all its spellings."""
    out: set[bytes] = set()
    for item in block.split():
        stem, _, suffixes = item.partition(":")
        for word in (stem, *(stem + s for s in suffixes.split(",") if s)):
            _check(word)
            if len(word) < 3 or "$" in word:
                raise ValueError(f"not a word: {word!r}")
            for spelling in _spellings(word):
                out.update(form.encode() for form in _cased(spelling))
    return out


def _phrases(block: str) -> set[bytes]:
    """'a b | c  d$' gives b" a b" and b" c  d ", each in all its spellings and casings. Inner
    spaces are kept: "graves  disease" is how "Graves' disease" folds."""
    out: set[bytes] = set()
    for item in block.split("|"):
        phrase = item.strip()
        if not phrase:
            continue
        _check(phrase)
        if "\n" in phrase or phrase.startswith(" ") or "$" in phrase[:-1]:
            raise ValueError(f"malformed phrase: {phrase!r}")
        end = " " if phrase.endswith("$") else ""
        for spelling in _spellings(phrase.rstrip("$")):
            out.update(f" {form}{end}".encode() for form in _cased(spelling))
    return out


LEXICON_WORDS: Final[frozenset[bytes]] = frozenset(
    word for word_block, _ in _BLOCKS.values() for word in _words(word_block)
)
LEXICON_PHRASES: Final[tuple[bytes, ...]] = tuple(
    sorted({phrase for _, phrase_block in _BLOCKS.values() for phrase in _phrases(phrase_block)})
)
