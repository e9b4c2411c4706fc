"""Configuration: endpoints (tier, model, profile, price), MEC nodes, network profiles, use cases.

Loaded from YAML and validated with pydantic; every problem raises `ConfigError` naming the
dotted path of the bad field. `load_config()` with no argument loads the documented default
(`default_config.yaml`, shipped in the package).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mecrouter.config_stores import (
    STORE_BACKENDS,
    AwsConfig,
    CloudWatchConfig,
    DynamoDBStoreConfig,
    EventBridgeConfig,
    MemoryStoreConfig,
    SharedStateConfig,
    SQLiteStoreConfig,
    StoreConfig,
)
from mecrouter.errors import ConfigError
from mecrouter.prediction import predicted_ms
from mecrouter.types import (
    CAPABILITIES,
    ComputeTier,
    ModelSize,
    NetworkType,
    PrivacyLevel,
    use_case_name,
)

__all__ = [
    "STORE_BACKENDS",
    "AwsConfig",
    "CloudWatchConfig",
    "Config",
    "DynamoDBStoreConfig",
    "EndpointConfig",
    "EventBridgeConfig",
    "MECNodeConfig",
    "MemoryStoreConfig",
    "NetworkProfile",
    "PriceConfig",
    "PrivacyConfig",
    "ReasonerConfig",
    "ResilienceConfig",
    "RoutingConfig",
    "SQLiteStoreConfig",
    "SharedStateConfig",
    "StoreConfig",
    "UseCaseConfig",
    "Weights",
    "load_config",
    "redaction_suffices",
]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class PriceConfig(BaseModel):
    """Per-token prices (USD per 1k tokens), or an instance-hour price ÷ measured throughput."""

    model_config = _STRICT
    per_1k_input_usd: float = Field(default=0.0, ge=0.0)
    per_1k_output_usd: float = Field(default=0.0, ge=0.0)
    instance_hour_usd: float | None = Field(default=None, ge=0.0)
    throughput_tokens_per_s: float | None = Field(default=None, gt=0.0)

    @model_validator(mode="after")
    def _instance_pricing_complete(self) -> PriceConfig:
        if (self.instance_hour_usd is None) != (self.throughput_tokens_per_s is None):
            raise ValueError("instance_hour_usd and throughput_tokens_per_s go together")
        return self

    def cost_usd(self, input_tokens: int, output_tokens: int) -> float:
        """The price of one call with these token counts."""
        if self.instance_hour_usd is not None and self.throughput_tokens_per_s is not None:
            # The throughput was measured in generated tokens with ~550-token prompts, so prompt
            # processing is already inside the per-output-token price.
            return output_tokens * self.instance_hour_usd / 3600.0 / self.throughput_tokens_per_s
        input_usd = input_tokens * self.per_1k_input_usd
        return (input_usd + output_tokens * self.per_1k_output_usd) / 1000


class EndpointConfig(BaseModel):
    """One model served at one place: the unit the router chooses."""

    model_config = _STRICT
    id: str = Field(min_length=1)
    tier: ComputeTier
    model: str = Field(min_length=1)
    model_size: ModelSize
    capability: float = Field(ge=0.0, le=1.0)
    region: str = "local"
    node: str = ""
    backend: str = "emulated"
    base_url: str | None = None
    api_key_env: str | None = None
    # Or the key from AWS Secrets Manager, re-read every `api_key_refresh_s` s of use: a secret
    # name or ARN, then `#key` for a key of a JSON secret (docs/aws.md). Not with api_key_env.
    api_key_secret: str | None = Field(default=None, pattern=r"^[^#\s]+(#[^#\s]+)?$")
    api_key_refresh_s: float = Field(default=300.0, gt=0.0)
    max_concurrency: int = Field(default=8, ge=1)
    ttft_ms: float = Field(gt=0.0)
    ttft_ref_tokens: int = Field(default=0, ge=0)
    prefill_ms_per_1k_tokens: float = Field(default=0.0, ge=0.0)
    decode_tokens_per_s: float = Field(gt=0.0)
    memory_mb: int = Field(default=0, ge=0)
    memory_gb: float = Field(default=0.0, ge=0.0)
    load_time_s: float = Field(default=0.0, ge=0.0)
    failure_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    # The longest answer this endpoint gives, in tokens: a request asking for more gets this
    # many from it (the gateway refuses a request above every endpoint's maximum with 400).
    max_output_tokens: int = Field(default=4096, ge=1)
    max_privacy: PrivacyLevel | None = None
    # The RouterBench model whose per-prompt correctness the quality predictor learned and that
    # stands for this endpoint's model (None: judge by `capability` against complexity).
    quality_model: str | None = None
    # Multiplies the predicted correctness of `quality_model` when that model is only a proxy
    # for a weaker (or stronger) one, e.g. a 1B device model judged through Mistral-7B.
    quality_scale: float = Field(default=1.0, gt=0.0, le=2.0)
    # The RouterBench model column this endpoint stands for in the simulator's labelled
    # workload: its answer to a test prompt is good iff that model got the prompt right. The
    # router never reads it (the simulator's ground truth, not a belief).
    benchmark_model: str | None = None
    price: PriceConfig = Field(default_factory=PriceConfig)
    # The OpenAI options this endpoint honours (names of `types.CAPABILITIES`); the router never
    # sends a request needing one it lacks. Unset: all of them (an OpenAI-compatible server).
    supports: frozenset[str] = CAPABILITIES
    # The measured service times the simulator draws this endpoint's calls from (`sim.service`):
    # "llmperf/<run>" or "device/<model>" under data/compute/. Unset: chosen by tier and model
    # size. The router never reads it: it predicts from the profile above.
    service_trace: str | None = Field(default=None, pattern=r"^(llmperf|device)/[a-z0-9_]+$")

    @field_validator("api_key_secret")
    @classmethod
    def _one_key_source(cls, secret: str | None, info: ValidationInfo) -> str | None:
        if secret is not None and info.data.get("api_key_env"):
            raise ValueError("set api_key_secret or api_key_env, not both")
        return secret

    @field_validator("supports")
    @classmethod
    def _known_capabilities(cls, supports: frozenset[str]) -> frozenset[str]:
        unknown = sorted(supports - CAPABILITIES)
        if unknown:
            raise ValueError(
                f"unknown capability {unknown[0]!r}; known: {', '.join(sorted(CAPABILITIES))}"
            )
        return supports

    def predicted_ttft_ms(self, input_tokens: int) -> float:
        """Service-side TTFT in ms for a prompt of this size (see `prediction`)."""
        ttft, _ = predicted_ms(
            self.ttft_ms, self.ttft_ref_tokens, self.prefill_ms_per_1k_tokens / 1000.0,
            self.decode_tokens_per_s, input_tokens, 0, 0.0, 1.0,
        )  # fmt: skip
        return ttft

    @property
    def privacy_ceiling(self) -> PrivacyLevel:
        """The most private data this endpoint may see (cloud defaults to INTERNAL)."""
        if self.max_privacy is not None:
            return self.max_privacy
        return PrivacyLevel.INTERNAL if self.tier is ComputeTier.CLOUD else PrivacyLevel.REGULATED


class MECNodeConfig(BaseModel):
    model_config = _STRICT
    id: str = Field(min_length=1)
    region: str
    memory_gb: float = Field(gt=0.0)
    hot_models: tuple[str, ...] = ()


class NetworkProfile(BaseModel):
    """Round-trip times from a device on this access network to a MEC node and to the cloud."""

    model_config = _STRICT
    mec_rtt_ms: float = Field(ge=0.0)
    cloud_rtt_ms: float = Field(ge=0.0)
    bandwidth_mbps: float = Field(ge=0.0)


class Weights(BaseModel):
    model_config = _STRICT
    latency: float = Field(ge=0.0)
    quality: float = Field(ge=0.0)
    cost: float = Field(ge=0.0)

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if self.latency + self.quality + self.cost <= 0:
            raise ValueError("at least one weight must be positive")
        return self


class UseCaseConfig(BaseModel):
    """A scenario preset: its latency target, how it trades latency/quality/cost, its defaults."""

    model_config = _STRICT
    latency_slo_ms: int = Field(gt=0)
    slo_metric: Literal["ttft", "total"] = "ttft"
    weights: Weights
    output_tokens: int = Field(default=128, gt=0)
    min_privacy: PrivacyLevel = PrivacyLevel.PUBLIC
    cost_ref_usd: float = Field(default=0.001, gt=0.0)
    description: str = ""


class ResilienceConfig(BaseModel):
    model_config = _STRICT
    failure_threshold: int = Field(default=5, ge=1)
    open_seconds: float = Field(default=30.0, gt=0.0)
    half_open_max_calls: int = Field(default=1, ge=1)
    deadline_slo_multiple: float = Field(default=5.0, ge=1.0)
    min_deadline_ms: float = Field(default=1_000.0, gt=0.0)
    attempt_timeout_multiple: float = Field(default=3.0, ge=1.0)
    min_attempt_timeout_ms: float = Field(default=250.0, gt=0.0)
    max_fallbacks: int = Field(default=3, ge=0)
    # A streamed attempt waits for its first chunk at most this multiple of the endpoint's
    # predicted first-token time (network round trip + TTFT for the prompt), floored ...
    first_token_timeout_multiple: float = Field(default=3.0, ge=1.0)
    min_first_token_timeout_ms: float = Field(default=1_000.0, gt=0.0)
    # ... and once text flows, at most this long between two chunks.
    stream_idle_timeout_ms: float = Field(default=5_000.0, gt=0.0)
    probe_interval_s: float = Field(default=1.0, ge=0.0)  # health probes of failing endpoints


class QualityConfig(BaseModel):
    """How the router judges answer quality: the learned predictor and online beliefs."""

    model_config = _STRICT
    # "fast": hashed n-grams, micro-seconds, every request. "embedding": all-MiniLM-L6-v2 as
    # well, when the request's latency target is at least `embedding_min_slo_ms` (it costs
    # ~15 ms on a CPU) and the embeddings extra is installed. "off": capability vs complexity.
    predictor: Literal["off", "fast", "embedding"] = "fast"
    embedding_min_slo_ms: float = Field(default=1_000.0, ge=0.0)
    model_path: str | None = None  # a `mecrouter train-quality` artefact; None = the shipped one
    # a `mecrouter train-quality --labels` artefact: the learned calibration to start from
    calibration_path: str | None = None
    learning: bool = True  # update beliefs from outcomes and /v1/feedback
    prior_strength: float = Field(default=50.0, gt=0.0)  # pseudo-observations the prior is worth
    forgetting: float = Field(default=0.998, gt=0.0, le=1.0)  # evidence fades per observation
    explore: Literal["mean", "thompson"] = "mean"


def redaction_suffices(level: PrivacyLevel, ceiling: PrivacyLevel) -> bool:
    """Whether data of `level` may reach an endpoint of `ceiling` once its identifiers are
    replaced by placeholders: SENSITIVE data on an endpoint that takes INTERNAL data (the cloud
    by default). REGULATED data never: it stays on the device or an in-region MEC node."""
    return level is PrivacyLevel.SENSITIVE and PrivacyLevel.INTERNAL <= ceiling < level


class PrivacyConfig(BaseModel):
    """What may leave the edge, and how. The one place that says whether data of a privacy level
    may reach an endpoint of a given ceiling (the RouterAgent's hard rule, the static fallback
    order and the judgement of where baselines broke the rules all ask `admits`)."""

    model_config = _STRICT
    # SENSITIVE requests may go to an endpoint whose ceiling is INTERNAL (the cloud, by default)
    # with their identifiers replaced by placeholders (`pipeline.redaction`). Never REGULATED.
    redact_for_cloud: bool = False

    def redacts(self, level: PrivacyLevel, ceiling: PrivacyLevel) -> bool:
        """Whether a request of `level` sent to an endpoint of `ceiling` is redacted first (and
        may go there only because it is)."""
        return self.redact_for_cloud and redaction_suffices(level, ceiling)

    def admits(self, level: PrivacyLevel, ceiling: PrivacyLevel) -> bool:
        """Whether data of `level` may reach an endpoint of `ceiling` (as it is, or redacted)."""
        return level <= ceiling or self.redacts(level, ceiling)


class ReasonerConfig(BaseModel):
    """The optional LLM advisor (Nova Pro on Bedrock, or an OpenAI-compatible server) asked to
    pick between the two best options when their utilities are within `margin` and the request's
    SLO slack affords `expected_ms`; the learned pick stands when it is slow, failing or
    unparsable (`pipeline.advisor`, docs/reasoner.md)."""

    model_config = _STRICT
    backend: Literal["off", "bedrock", "openai_http"] = "off"
    model: str = Field(default="us.amazon.nova-pro-v1:0", min_length=1)
    region: str = "us-east-1"
    # Bedrock: an endpoint_url (a VPC endpoint, the emulator); openai_http: the server's base URL.
    base_url: str | None = Field(default=None, validate_default=True)
    api_key_env: str | None = None
    margin: float = Field(default=0.02, ge=0.0, le=1.0)  # utility gap under which two are close
    expected_ms: float = Field(default=2_000.0, gt=0.0)  # the advisor's typical latency
    timeout_ms: float = Field(default=2_500.0, gt=0.0)  # hard; also never past the SLO slack
    max_output_tokens: int = Field(default=96, ge=16, le=1_024)
    failure_threshold: int = Field(default=3, ge=1)  # its own breaker, apart from endpoints'
    open_seconds: float = Field(default=60.0, gt=0.0)

    @field_validator("backend", mode="before")
    @classmethod
    def _yaml_off(cls, backend: Any) -> Any:
        return "off" if backend is False else backend  # YAML reads a bare `off` as false

    @field_validator("base_url")
    @classmethod
    def _url_for_http(cls, url: str | None, info: ValidationInfo) -> str | None:
        if url is None and info.data.get("backend") == "openai_http":
            raise ValueError("the openai_http reasoner needs a base_url")
        return url


class RoutingConfig(BaseModel):
    """How the gateway and the library route. `policy` names a policy of the registry
    (`agents.policies.POLICIES`): mecrouter, or a baseline to A/B it against; `reasoner` the
    optional advisor consulted on close calls (off by default)."""

    model_config = _STRICT
    policy: str = Field(default="mecrouter", min_length=1)
    reasoner: ReasonerConfig = Field(default_factory=ReasonerConfig)


class SemanticCacheConfig(BaseModel):
    """Nearest-neighbour answers over MiniLM embeddings, after an exact-cache miss."""

    model_config = _STRICT
    enabled: bool = False  # needs the embeddings extra; off by default (a hit skips inference)
    threshold: float | None = Field(default=None, gt=0.0, le=1.0)  # None: the measured default
    min_slo_ms: float = Field(default=200.0, ge=0.0)  # embedding costs ~15 ms: not for tight SLOs
    max_entries: int = Field(default=10_000, ge=1)


class Config(BaseModel):
    model_config = _STRICT
    default_region: str = "eu-west-2"
    min_battery_pct: float = Field(default=15.0, ge=0.0, le=100.0)
    endpoints: tuple[EndpointConfig, ...] = Field(min_length=1)
    mec_nodes: tuple[MECNodeConfig, ...] = ()
    network_profiles: dict[NetworkType, NetworkProfile]
    use_cases: dict[str, UseCaseConfig]
    resilience: ResilienceConfig = Field(default_factory=ResilienceConfig)
    cache_ttl_s: float = Field(default=300.0, gt=0.0)
    cache_max_entries: int = Field(default=10_000, ge=0)
    # Whose requests share response-cache entries: each API key's own (key), the keys of one
    # tenant (tenant; a key without one is its own), or everyone's (shared).
    cache_partition: Literal["key", "tenant", "shared"] = "key"
    # How long a group commit of decision records waits for more records to join (0: only those
    # of the same event-loop turn); every request waits for its own record's commit.
    record_commit_delay_ms: float = Field(default=0.0, ge=0.0, le=1_000.0)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    semantic_cache: SemanticCacheConfig = Field(default_factory=SemanticCacheConfig)
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    store: StoreConfig = Field(default_factory=SQLiteStoreConfig)
    aws: AwsConfig = Field(default_factory=AwsConfig)
    state: SharedStateConfig = Field(default_factory=SharedStateConfig)

    @model_validator(mode="before")
    @classmethod
    def _retention_moved_to_store(cls, raw: Any) -> Any:
        """A top-level `retention_days` (the old spelling) sets `store.retention_days`."""
        if not isinstance(raw, dict) or "retention_days" not in raw:
            return raw
        raw = dict(raw)
        store = raw.get("store") or {}
        if not isinstance(store, dict) or "retention_days" in store:
            raise ValueError("retention_days: set it once, as store.retention_days")
        raw["store"] = {**store, "retention_days": raw.pop("retention_days")}
        return raw

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        ids = [e.id for e in self.endpoints]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate endpoint ids: {sorted(dupes)}")
        nodes = {n.id for n in self.mec_nodes}
        for ep in self.endpoints:
            if ep.tier is ComputeTier.MEC and ep.node not in nodes:
                raise ValueError(f"endpoint {ep.id!r} names unknown MEC node {ep.node!r}")
        missing = set(NetworkType) - set(self.network_profiles)
        if missing:
            raise ValueError(f"network_profiles lacks {sorted(m.value for m in missing)}")
        if "default" not in self.use_cases:
            raise ValueError("use_cases must define 'default'")
        return self

    def endpoint(self, endpoint_id: str) -> EndpointConfig:
        for ep in self.endpoints:
            if ep.id == endpoint_id:
                return ep
        raise KeyError(endpoint_id)

    def use_case(self, name: str) -> UseCaseConfig:
        """The use case `name` means (see `use_case_name`); an unknown name is an
        `InvalidRequestError`, never a silent `default` that could drop a privacy floor."""
        found = self.use_cases.get(name)
        return found if found is not None else self.use_cases[use_case_name(name, self.use_cases)]


def load_config(source: str | Path | dict[str, Any] | None = None) -> Config:
    """Load and validate a config from a YAML path, a dict, or (None) the shipped default."""
    if isinstance(source, dict):
        raw: Any = source
    else:
        raw = _read_yaml(source)
    if not isinstance(raw, dict):
        raise ConfigError("<root>", "the config must be a YAML mapping")
    try:
        return Config.model_validate(raw)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "<root>"
        raise ConfigError(where, first["msg"]) from exc


def _read_yaml(source: str | Path | None) -> Any:
    try:
        if source is None:
            text = resources.files("mecrouter").joinpath("default_config.yaml").read_text("utf-8")
        else:
            text = Path(source).read_text("utf-8")
        return yaml.safe_load(text)
    except OSError as exc:
        raise ConfigError(str(source), f"cannot read config file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(str(source), f"not valid YAML: {exc}") from exc
