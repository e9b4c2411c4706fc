"""ContextAgent: what a request needs (model size, latency, privacy, region), in micro-seconds.

`analyze_request` runs on every request, before any routing, so it is pure and synchronous: no I/O,
no clock, nothing compiled after import. The text is folded once (`privacy.fold_text`) and the same
fold feeds the PII/PHI detector and the complexity model, which is a weighted sum of cheap features
(length, reasoning / code / math vocabulary, symbol density, list structure, non-ASCII share).
The pipeline calls `fallback_analysis` if `analyze_request` ever raises: it only uses the request's
own fields and conservative defaults, so a broken heuristic degrades routing, never the request.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Final, NamedTuple

from mecrouter.agents.privacy import MEDICAL_TERM, FoldedText, detect_privacy, fold_text
from mecrouter.config import Config, UseCaseConfig
from mecrouter.errors import ConfigError
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    DeviceInfo,
    InferenceRequest,
    LatencyTier,
    ModelSize,
    NetworkMetrics,
    NetworkType,
    PrivacyLevel,
    use_case_name,
)

__all__ = [
    "TASK_TYPES",
    "ContextAgent",
    "classify_task",
    "model_size_for",
    "predict_complexity",
]

TASK_TYPES: Final = ("chat", "code", "math", "reasoning")
_DEFAULT_USE_CASE: Final = "default"
_PRIVACY_RANK: Final = {level: rank for rank, level in enumerate(PrivacyLevel)}
# (upper bound of complexity, size): tiny < 0.2 <= small < 0.4 <= medium < 0.6 <= large < 0.8.
_SIZE_BOUNDS: Final = (
    (0.2, ModelSize.TINY),
    (0.4, ModelSize.SMALL),
    (0.6, ModelSize.MEDIUM),
    (0.8, ModelSize.LARGE),
)
_FALLBACK_COMPLEXITY: Final = 0.5
_DEFAULT_OUTPUT_TOKENS: Final = 128
_UNDETERMINED: Final = "privacy_undetermined"

# --------------------------------------------------------------------------- complexity lexicon

_REASON, _CODE, _MATH, _STEP = 0, 1, 2, 3
_LEXICON_SOURCE: Final = (
    (
        _REASON,
        "why explain explanation analyze analyse analysis compare comparison contrast prove proof "
        "derive derivation evaluate justify reasoning tradeoff tradeoffs implications critique "
        "assess argue hypothesis infer deduce strategy optimize optimise architecture pros cons "
        "consequences evidence",
    ),
    (
        _CODE,
        "def class function functions return returns import lambda python javascript typescript "
        "java rust golang cpp kotlin swift ruby php sql bash html css json yaml regex implement "
        "implementation debug debugging refactor compile compiler traceback exception stacktrace "
        "segfault api algorithm code script async await struct enum const null nullptr docker "
        "kubernetes unittest pytest bug repo git endpoint query schema",
    ),
    (
        _MATH,
        "integral integrate derivative differentiate solve equation equations probability matrix "
        "eigenvalue eigenvalues theorem lemma sqrt logarithm calculate algebra calculus "
        "polynomial variance covariance expectation statistics regression vector vectors sum "
        "factorial permutations combinations modulo prime limit converge convergence",
    ),
    (
        _STEP,
        "first then next finally second secondly third thirdly lastly afterwards subsequently "
        "steps",
    ),
)
# Phrases are looked for only when their first word is among the prompt's words.
_PHRASES: Final = {
    b"step": ((b" step by step", _REASON),),
    b"trade": ((b" trade off", _REASON),),
    b"root": ((b" root cause", _REASON),),
    b"think": ((b" think through", _REASON),),
    b"stack": ((b" stack trace", _CODE),),
    b"unit": ((b" unit test", _CODE),),
    b"group": ((b" group by", _CODE),),
    b"order": ((b" order by", _CODE),),
    b"select": ((b" select from", _CODE),),
    b"expected": ((b" expected value", _MATH),),
    b"standard": ((b" standard deviation", _MATH),),
    b"square": ((b" square root", _MATH),),
}


def _lexicon() -> dict[bytes, int]:
    return {w.encode(): cat for cat, words in _LEXICON_SOURCE for w in words.split()}


_LEXICON: Final = _lexicon()
_KEYWORDS: Final = frozenset(_LEXICON) | frozenset(_PHRASES)

# Every byte of the prompt mapped to a class: digit "d", letter (or non-ASCII) "a", code punctuation
# "c", math operator "m", newline "\n", anything else "."; other whitespace is dropped, so "3 + 4"
# becomes b"dmd". One translate, then counts and substring tests on the result.
_CODE_CHARS: Final = b"{}();[]<>`#\\|&$_"
_MATH_CHARS: Final = b"+*/^="
_BLANKS: Final = b" \t\r\f\v"


def _class_table() -> bytes:
    table = bytearray(b"a" * 256)  # non-ASCII bytes belong to words
    for b in range(128):
        ch = chr(b)
        if not ch.isalpha():
            table[b] = ord("d" if ch.isdigit() else ".")
    for b in _CODE_CHARS:
        table[b] = ord("c")
    for b in _MATH_CHARS:
        table[b] = ord("m")
    table[ord("\n")] = ord("\n")
    return bytes(table)


_CLASS_TABLE: Final = _class_table()
_LIST_MARKERS: Final = ("\n- ", "\n* ", "\n• ", "\n1.", "\n2.", "\n3.", "\n1)", "\n2)")

# Feature weights; they sum to 1 so the score stays in [0, 1] (clamped after the domain bonus).
_W_LENGTH, _W_TOP, _W_OTHERS, _W_STEPS, _W_NON_ASCII = 0.30, 0.40, 0.15, 0.10, 0.05
# Clinical content needs domain knowledge a tiny model lacks, however short the question.
_MEDICAL_BONUS: Final = 0.15
_LENGTH_SCALE_CHARS: Final = 40.0
_LENGTH_LOG_FULL: Final = math.log1p(8_000 / _LENGTH_SCALE_CHARS)  # 8k chars saturate length


def _hits(folded: FoldedText) -> list[int]:
    """Evidence count per category (reason, code, math, steps) from words, phrases and symbols."""
    text = folded.text
    hits = [0, 0, 0, 0]
    for word in _KEYWORDS.intersection(folded.words):
        category = _LEXICON.get(word)
        if category is not None:
            hits[category] += 1
        for phrase, phrase_category in _PHRASES.get(word, ()):
            if phrase in folded.padded:
                hits[phrase_category] += 1
    shape = folded.raw.translate(_CLASS_TABLE, _BLANKS)
    code_chars = shape.count(b"c")
    hits[_CODE] += (code_chars >= 4) + (code_chars >= 12) + 2 * ("```" in text)
    if b"0" in folded.shape and b"m" in shape:
        # An operator after a variable ("x^2", "n = 10") or between numbers more than once
        # ("3 + 4 * 5"; a lone "2+2" is a trivial sum, not maths); several.
        ops = shape.count(b"m")
        hits[_MATH] += (b"amd" in shape or (ops >= 2 and b"dmd" in shape)) + (ops >= 3)
    if b"\n" in shape:
        hits[_STEP] += sum(text.count(marker) for marker in _LIST_MARKERS)
    return hits


def _score(folded: FoldedText, medical: bool) -> tuple[float, str]:
    """(complexity in [0, 1], task type) for the folded text (`folded.text`).

    Each category's evidence saturates (1 - 0.5**hits): the first marker says most, the fifth
    little. The strongest task category dominates; the others add a little (mixed prompts are
    harder); length, list structure, non-English text and medical content add the rest.
    """
    text = folded.text
    reason, code, maths, steps = _hits(folded)
    s_reason, s_code, s_math = 1.0 - 0.5**reason, 1.0 - 0.5**code, 1.0 - 0.5**maths
    top = max(s_reason, s_code, s_math)
    others = (s_reason + s_code + s_math - top) / 2.0
    length = min(1.0, math.log1p(len(text) / _LENGTH_SCALE_CHARS) / _LENGTH_LOG_FULL)
    non_ascii = 0.0
    if not text.isascii():
        non_ascii = min(1.0, (len(folded.raw) - len(text)) / len(text))
    score = (
        _W_LENGTH * length
        + _W_TOP * top
        + _W_OTHERS * others
        + _W_STEPS * (1.0 - 0.5**steps)
        + _W_NON_ASCII * non_ascii
        + (_MEDICAL_BONUS if medical else 0.0)
    )
    return min(1.0, score), _task_type(reason, code, maths)


def _task_type(reason: int, code: int, maths: int) -> str:
    """The category with most evidence; ties go code > math > reasoning; none means chat."""
    best = max(reason, code, maths)
    if best == 0:
        return "chat"
    if code == best:
        return "code"
    return "math" if maths == best else "reasoning"


def _score_text(text: str) -> tuple[float, str]:
    folded = fold_text(text)
    return _score(folded, MEDICAL_TERM in detect_privacy(text, folded)[1])


def predict_complexity(text: str) -> float:
    """How hard `text` is to answer well, in [0, 1] (0.2 steps map to model sizes)."""
    return _score_text(text)[0]


def classify_task(text: str) -> str:
    """The kind of work `text` asks for: one of TASK_TYPES."""
    return _score_text(text)[1]


def model_size_for(complexity: float) -> ModelSize:
    """The smallest model class expected to handle a request of this complexity."""
    for bound, size in _SIZE_BOUNDS:
        if complexity < bound:
            return size
    return ModelSize.FRONTIER


# --------------------------------------------------------------------------- request fields


def request_text(req: InferenceRequest) -> str:
    """All the text a request carries: its messages and its content, each once."""
    if not req.messages:
        return req.content
    joined = "\n".join(m.content for m in req.messages)
    return joined if req.content in joined else f"{joined}\n{req.content}"


def _estimate_tokens(req: InferenceRequest) -> int:
    """Prompt tokens, ~4 chars each, plus ~4 tokens of chat framing per message."""
    chars = len(req.content)
    if req.messages:
        chars = max(chars, sum(len(m.content) for m in req.messages))
    return max(1, (chars + 3) // 4 + 4 * len(req.messages))


def _latency_ms(req: InferenceRequest, preset_ms: int) -> int:
    """Explicit ms beat an explicit tier, which beats the use case preset."""
    if req.latency_slo_ms is not None:
        return req.latency_slo_ms
    if req.latency_requirement_explicit:
        return req.latency_requirement.slo_ms
    return preset_ms


def _privacy(detected: PrivacyLevel, req: InferenceRequest, minimum: PrivacyLevel) -> PrivacyLevel:
    """The strictest of detected, requested and use-case minimum: a client can only raise it.

    Ranks come from a local dict: cheaper on the hot path than the enum's comparison methods.
    """
    level = detected
    requested = req.privacy
    if requested is not None and _PRIVACY_RANK[requested] > _PRIVACY_RANK[level]:
        level = requested
    if _PRIVACY_RANK[minimum] > _PRIVACY_RANK[level]:
        level = minimum
    return level


class _Preset(NamedTuple):
    """A use case's defaults, read from the config once (config objects are slow to read)."""

    name: str
    latency_slo_ms: int
    min_privacy: PrivacyLevel
    output_tokens: int

    @classmethod
    def of(cls, name: str, use_case: UseCaseConfig) -> _Preset:
        return cls(name, use_case.latency_slo_ms, use_case.min_privacy, use_case.output_tokens)


# Used only if a config has no "default" use case.
_NO_PRESET: Final = _Preset(
    _DEFAULT_USE_CASE, LatencyTier.STANDARD.slo_ms, PrivacyLevel.PUBLIC, _DEFAULT_OUTPUT_TOKENS
)


# --------------------------------------------------------------------------- quality predictor


def quality_predictor(
    config: Config,
) -> Callable[[str], tuple[dict[str, float], float]] | None:
    """The fast quality predictor restricted to the proxy models the config's endpoints name:
    prompt -> ({model: P(correct)}, support). None when it is off or no endpoint names a proxy
    model."""
    wanted = {ep.quality_model for ep in config.endpoints if ep.quality_model}
    if config.quality.predictor == "off" or not wanted:
        return None
    from mecrouter.quality.model import FastQualityModel, default_fast_model

    path = config.quality.model_path
    model = FastQualityModel.load(_local_model_file(path)) if path else default_fast_model()
    unknown = wanted - set(model.models)
    if unknown:
        raise ConfigError(
            "quality.model_path",
            f"the quality model does not predict {sorted(unknown)} (it knows {list(model.models)})",
        )
    columns = [(k, name) for k, name in enumerate(model.models) if name in wanted]
    predict = model.predict_with_support

    def judge(text: str) -> tuple[dict[str, float], float]:
        estimates, support = predict(text)
        p = estimates.tolist()
        return {name: p[k] for k, name in columns}, support

    return judge


def _local_model_file(path: str) -> str:
    """``path``, or for ``s3://bucket/key`` the local copy of the object's current version
    (`mecrouter.aws.s3`: downloaded once per version into a cache, read once at startup)."""
    if not path.lower().startswith("s3://"):
        return path
    try:
        from mecrouter.aws.s3 import cached_download
    except ImportError as exc:  # boto3 is the optional `aws` extra
        message = "an s3:// model needs boto3: pip install 'mecrouter[aws]'"
        raise ConfigError("quality.model_path", message) from exc
    return str(cached_download(path, field="quality.model_path"))


# --------------------------------------------------------------------------- the agent


class ContextAgent:
    """Judges what each request needs; pure and synchronous, so the simulator can call it too."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._default_region = config.default_region
        self._presets = {name: _Preset.of(name, uc) for name, uc in config.use_cases.items()}
        self._device_models = frozenset(
            ep.model for ep in config.endpoints if ep.tier is ComputeTier.DEVICE
        )
        self._quality = quality_predictor(config)
        self._networks = {
            network_type: NetworkMetrics(
                network_type=network_type,
                connected=network_type is not NetworkType.OFFLINE,
                mec_rtt_ms=profile.mec_rtt_ms,
                cloud_rtt_ms=profile.cloud_rtt_ms,
                bandwidth_mbps=profile.bandwidth_mbps,
            )
            for network_type, profile in config.network_profiles.items()
        }

    def analyze_request(self, req: InferenceRequest) -> ContextAnalysis:
        """Complexity, model size, latency target, privacy, region and (with the quality
        predictor on) each proxy model's chance of answering `req` well."""
        text = request_text(req)
        folded = fold_text(text)
        detected, findings = detect_privacy(text, folded)
        predicted, task_type = _score(folded, MEDICAL_TERM in findings)
        hint = req.complexity_hint
        complexity = predicted if hint is None else 0.5 * hint + 0.5 * predicted
        if self._quality is None:
            return self._analysis(req, complexity, detected, findings, task_type)
        quality, support = self._quality(text)
        return self._analysis(req, complexity, detected, findings, task_type, quality, support)

    def fallback_analysis(self, req: InferenceRequest) -> ContextAnalysis:
        """Conservative rule-based analysis for when `analyze_request` fails.

        Complexity is 0.5 (a medium model), blended with the hint if the client gave one. If even
        the privacy detector fails, the request is treated as SENSITIVE: it may then stay off the
        cloud for nothing, but PHI can never leak because a heuristic broke.
        """
        try:
            detected, findings = detect_privacy(request_text(req))
        except (ValueError, TypeError, RecursionError):
            detected, findings = PrivacyLevel.SENSITIVE, (_UNDETERMINED,)
        hint = req.complexity_hint
        complexity = _FALLBACK_COMPLEXITY if hint is None else 0.5 * (hint + _FALLBACK_COMPLEXITY)
        return self._analysis(req, complexity, detected, findings, "chat")

    def _analysis(
        self,
        req: InferenceRequest,
        complexity: float,
        detected: PrivacyLevel,
        findings: tuple[str, ...],
        task_type: str,
        quality: Mapping[str, float] | None = None,
        support: float = 1.0,
    ) -> ContextAnalysis:
        """The request-derived fields both analyses share, around their own judgements."""
        preset = self._presets.get(req.use_case)
        if preset is None:  # an unknown use case is an error, not the default's lower floor
            preset = (
                self._presets[use_case_name(req.use_case, self._presets)]
                if self._presets
                else _NO_PRESET
            )
        max_tokens = req.max_tokens
        return ContextAnalysis(
            complexity_score=complexity,
            estimated_tokens=_estimate_tokens(req),
            required_model_size=model_size_for(complexity),
            latency_requirement=_latency_ms(req, preset.latency_slo_ms),
            privacy_level=_privacy(detected, req, preset.min_privacy),
            geographic_region=req.region or self._default_region,
            estimated_output_tokens=preset.output_tokens if max_tokens is None else max_tokens,
            use_case=preset.name,
            privacy_findings=findings,
            task_type=task_type,
            quality=quality,
            quality_support=support,
        )

    def predict_complexity(self, text: str) -> float:
        """How hard `text` is to answer well, in [0, 1]."""
        return predict_complexity(text)

    def classify_task(self, text: str) -> str:
        """One of TASK_TYPES for `text`."""
        return classify_task(text)

    def assess_device_capability(self, device: DeviceInfo) -> float:
        """How well the device can serve inference itself, in [0, 1].

        A soft preference for the router, not a feasibility check (the router still checks that
        the chosen model is on the device and fits): memory, battery, whether it holds a model
        we can route to, and whether it is online (it can then receive models and sync).
        """
        memory = min(1.0, device.memory_mb / 8_192)
        battery = device.battery_pct / 100.0
        if self._device_models.intersection(device.local_models):
            models = 1.0
        else:
            models = 0.5 if device.local_models else 0.0
        score = 0.35 * memory + 0.25 * battery + 0.30 * models + 0.10 * device.online
        if device.battery_pct < self._config.min_battery_pct:
            score *= 0.5  # a nearly flat battery should not be spent on inference
        return max(0.0, min(1.0, score))

    def evaluate_network_conditions(self, network_type: NetworkType) -> NetworkMetrics:
        """Expected RTTs and bandwidth on this access network (offline: not connected)."""
        return self._networks[network_type]
