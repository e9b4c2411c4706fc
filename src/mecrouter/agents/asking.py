"""The words by which a text asks, in the corpus's twelve languages: request verbs ("explain",
"berechne", "calcula") and the question words that open a question ("how", "warum",
"cuántos"). `about` reads a text that asks as being about no one unless someone stands near; a
request verb opening a sentence is no first name to `names` ("Calcula la Tasa de Mortalidad").
"""

from __future__ import annotations

from typing import Final

__all__ = ["QUESTION_WORDS", "REQUEST_WORDS"]

# Verbs that ask for something, folded.
REQUEST_WORDS: Final = frozenset(
    w.encode()
    for w in """
    please explain describe summarise summarize write draft list compare outline define
    translate rewrite check proofread review turn convert make create give tell name fix edit
    format tighten shorten simplify improve polish suggest calculate analyse analyze bitte
    favor plaît
    erkläre erklär beschreibe fasse schreibe schreib entwirf übersetze vergleiche prüfe nenne
    formuliere
    explique expliquez décris décrivez résume résumez écris écrivez rédige rédigez traduis
    traduisez compare vérifie corrige donne
    explica explique describe resume escribe redacta traduce tradúcelo compara revisa corrige
    dame enumera
    plot chart graph tabulate compute estimate sum total fit flag sort rank visualise visualize
    build generate prepare produce show recommend help fill find design plan
    erstelle erstell berechne berechnet stell zeige zeig sortiere visualisiere mach mache sag
    rechne markiere
    fais calcule calculez trace tracez établis classe trie montre propose proposez recalcule
    prépare préparez hazme prepara prepárame recommande recommandez aide aidez empfiehl hilf
    recomienda recomiéndame ayuda ayúdame
    haz calcula grafica ordena muestra elabora indica marca
    calcola spiega scrivi riassumi traduci confronta verifica controlla elenca mostra dimmi stima
    converti
    bereken berekenen schrijf vertaal vergelijk controleer geef toon noem maak bepaal graag
    explica escreva escreve resuma traduz traduza verifique mostre estime converta
    oblicz policz wyjaśnij napisz streść przetłumacz porównaj sprawdź podaj pokaż wymień zrób
    proszę oszacuj przelicz
    beräkna räkna förklara skriv sammanfatta översätt jämför kontrollera avrunda uppskatta
    beregn forklar oppsummer opsummer oversett oversæt sammenlign sjekk tjek kontroller
    laske selitä kirjoita tiivistä käännä vertaa tarkista näytä arvioi pyöristä listaa
    identify classify evaluate assess interpret detect determine categorise categorize
    analiza identifica clasifica agrupa evalúa interpreta detecta determina redondea propón
    sugiere analysiere bewerte ermittle bestimme schätze interpretiere zähle addiere gruppiere
    identifiziere klassifiziere identifie regroupe évalue interprète détecte détermine arrondis
    additionne suggère analizza classifica raggruppa arrotonda suggerisci analisa analise avalia
    arredonda sugere analyseer identificeer groepeer beoordeel interpreteer genereer
    przeanalizuj zidentyfikuj pogrupuj oceń zinterpretuj zaokrąglij zsumuj wyznacz wygeneruj
    utwórz zaproponuj analysera identifiera gruppera bedöm tolka föreslå skapa generera analyser
    identifiser vurder foreslå generer analysér vurdér opret analysoi tunnista ryhmittele
    tulkitse määritä ehdota
    """.split()  # noqa: SIM905
)

# A text that starts with one of these asks, question mark or not ("how many patients with
# dementia are there in Europe").
QUESTION_WORDS: Final = frozenset(
    w.encode()
    for w in """
    how which why wieviel wieviele warum weshalb welche welcher combien pourquoi comment quel
    quelle quels quelles cuántos cuántas cuánto cómo cuál cuáles
    quanto quanti quante quale quali perché hoe hoeveel welke waarom quantos quantas qual quais
    jak ile dlaczego hur vilken vilka varför hvordan hvilken hvilke hvorfor miten kuinka
    paljonko miksi
    """.split()  # noqa: SIM905
)
