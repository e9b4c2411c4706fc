"""Loaders for the measured traces that drive the simulator (from the project's ``data/``).

Every number here comes from a file described in the data README; values with no trace
behind them are marked ASSUMED.

Sources (cite them when you use the results):

- ``requests/AzureLLMInferenceTrace_{conv,code}.csv``: "Azure LLM inference trace 2023",
  GitHub ``Azure/AzurePublicDataset`` ``data/``, commit b469a113cedca53ddc3bdea71a143dc4b7d8700c.
  Patel et al., "Splitwise: Efficient generative LLM inference using phase splitting",
  ISCA 2024. Licence CC-BY-4.0.
- ``network/5gophers_mmwave_ping/ping-trace-*.log`` and ``network/5gophers_rtt_all_carriers.csv``:
  5Gophers 1.0, redistributed in GitHub ``jhzuo/Offloading-FL`` ``trace_data/5Gophers-v1.0/``,
  commit 7133b70d7dd75e9234e26d9df3b4896f52a0ea4b. Narayanan et al., "A First Look at
  Commercial 5G Performance on Smartphones", WWW 2020, doi:10.1145/3366423.3380169.
  Licence CC-BY-4.0.
- ``network/wavelength/*.csv``: GitHub ``aws-samples/wavelength-latency-benchmarking``
  ``results/``, commit cb61c176a163ec64117d81bdf443bc3f263b6688 (netperf TCP_RR from a phone on
  a UK mobile network, December 2023). Licence MIT-0. Each value is the *mean* RTT of one 60 s
  test, so the series is smoother than per-probe pings.

Time bases: the ping logs and the 5Gophers RTT CSV carry no timestamps, so their probes are
ASSUMED to be 1.0 s apart (``ASSUMED_PROBE_INTERVAL_S``). The Wavelength rows carry UTC
stamps; their interval is the median gap between consecutive rows of the same series.

``*_test.csv`` files (RouterBench evaluation splits) are never opened here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from mecrouter.datadir import data_dir
from mecrouter.errors import ConfigError, InvalidRequestError

__all__ = [
    "ACCESS_SERIES",
    "ASSUMED_PROBE_INTERVAL_S",
    "AccessNetwork",
    "RequestTrace",
    "RttSeries",
    "RttTraces",
    "load_requests",
    "load_rtt",
    "network_model",
]

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
RequestKind = Literal["conv", "code"]

# ASSUMED: the 5Gophers ping/RTT files state no probe interval; 1 s is ping's default.
ASSUMED_PROBE_INTERVAL_S = 1.0

_AZURE_UPSTREAM = (
    "Azure/AzurePublicDataset@b469a113cedca53ddc3bdea71a143dc4b7d8700c:"
    "data/AzureLLMInferenceTrace_{kind}.csv (Patel et al., Splitwise, ISCA 2024; CC-BY-4.0)"
)
_GOPHERS_UPSTREAM = (
    "jhzuo/Offloading-FL@7133b70d7dd75e9234e26d9df3b4896f52a0ea4b:trace_data/5Gophers-v1.0/{path}"
    " (Narayanan et al., WWW 2020, doi:10.1145/3366423.3380169; CC-BY-4.0)"
)
_WAVELENGTH_UPSTREAM = (
    "aws-samples/wavelength-latency-benchmarking@cb61c176a163ec64117d81bdf443bc3f263b6688:"
    "results/{files} (MIT-0)"
)
_PING_DIR = "network/5gophers_mmwave_ping"
_CARRIER_RTT_FILE = "network/5gophers_rtt_all_carriers.csv"
_WAVELENGTH_DIR = "network/wavelength"

_REGION_ZONE = "euw2-az2"
_LON_WLZ = "euw2-wl1-lon-wlz1"
_MAN_WLZS = ("euw2-wl1-man-wlz1", "euw2-wl2-man-wlz1")

# Which RTT series stands for device->MEC and device->cloud, per access type.
ACCESS_SERIES: dict[str, tuple[str, str]] = {
    "5g": ("5g/first-hop", "5g/us-east"),
    "lte": ("4g/first-hop", "4g/us-east"),
    # ASSUMED: no Wi-Fi trace in the data; Wi-Fi reuses the 5G mmWave series.
    "wifi": ("5g/first-hop", "5g/us-east"),
}
_ASSUMED_ACCESS = frozenset({"wifi"})


def _resolve(data: Path | None) -> Path:
    return data_dir(data).resolve()


def _is_held_out(path: Path) -> bool:
    return path.name.endswith("_test.csv")


def _read_lines(path: Path) -> list[str]:
    if _is_held_out(path):
        raise ConfigError("data", f"{path.name} is a held-out evaluation file; not read here")
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError("data", f"cannot read {path}: {exc}") from exc


def _frozen_f64(values: object) -> F64:
    arr = np.array(values, dtype=np.float64)
    arr.flags.writeable = False
    return arr


# --------------------------------------------------------------------------- request traces


@dataclass(frozen=True, slots=True, eq=False)
class RequestTrace:
    """One Azure LLM inference trace, one row per request in arrival order."""

    interarrival_s: F64  # gap to the previous request; the first is 0
    context_tokens: I32  # prompt tokens
    generated_tokens: I32  # output tokens
    source: str  # local file <- upstream repo@commit:path (for citations)
    mean_rate_per_s: float  # (requests - 1) / span of the trace

    def __len__(self) -> int:
        return int(self.interarrival_s.size)

    def sample(self, rng: np.random.Generator, n: int, rate_per_s: float) -> tuple[F64, I32, I32]:
        """``n`` consecutive requests from a random offset, wrapping around the end.

        Returns ``(arrival_s, context_tokens, generated_tokens)``. The window's gaps are scaled
        by one factor so that its own mean rate, ``(n - 1) / arrival_s[-1]``, is ``rate_per_s``:
        the burstiness inside the window is the trace's. ``arrival_s[0]`` is 0. Where the
        window wraps, the gap between the last and the first request is ASSUMED to be the
        trace's mean gap (the trace does not say what came after its end).
        """
        if n < 1:
            raise InvalidRequestError("n", f"need at least one request, got {n}")
        if not rate_per_s > 0:
            raise InvalidRequestError("rate_per_s", f"must be positive, got {rate_per_s}")
        size = len(self)
        idx = (int(rng.integers(size)) + np.arange(n)) % size
        gaps = self.interarrival_s[idx]  # fancy indexing: a fresh, writable copy
        gaps[idx == 0] = 1.0 / self.mean_rate_per_s
        gaps[0] = 0.0
        total_s = float(gaps.sum())
        if total_s > 0:
            scale = (n - 1) / (rate_per_s * total_s)
        else:  # n == 1, or a window of simultaneous requests: keep the trace's own scale
            scale = self.mean_rate_per_s / rate_per_s
        arrival_s = np.cumsum(gaps) * scale
        return arrival_s, self.context_tokens[idx], self.generated_tokens[idx]


def load_requests(kind: RequestKind, data: Path | None = None) -> RequestTrace:
    """The Azure 2023 ``conv`` or ``code`` trace (cached per file)."""
    if kind not in ("conv", "code"):
        raise InvalidRequestError("kind", f"expected 'conv' or 'code', got {kind!r}")
    path = _resolve(data) / "requests" / f"AzureLLMInferenceTrace_{kind}.csv"
    return _load_request_file(path, kind)


@lru_cache(maxsize=8)
def _load_request_file(path: Path, kind: str) -> RequestTrace:
    lines = _read_lines(path)
    if not lines or lines[0].strip() != "TIMESTAMP,ContextTokens,GeneratedTokens":
        raise ConfigError("data", f"{path}: unexpected header {lines[:1]!r}")
    try:
        stamps, context, generated = zip(
            *(line.split(",") for line in lines[1:] if line), strict=True
        )
        # numpy parses "YYYY-MM-DD HH:MM:SS.fffffff" (7 fractional digits) to ns exactly.
        times_ns = np.array(stamps, dtype="datetime64[ns]").astype(np.int64)
        context_tokens = np.array(context, dtype=np.int32)
        generated_tokens = np.array(generated, dtype=np.int32)
    except ValueError as exc:
        raise ConfigError("data", f"{path}: malformed row: {exc}") from exc
    gaps_s = np.diff(times_ns, prepend=times_ns[0]) / 1e9
    if (gaps_s < 0).any():
        raise ConfigError("data", f"{path}: timestamps are not sorted")
    span_s = float(times_ns[-1] - times_ns[0]) / 1e9
    for arr in (gaps_s, context_tokens, generated_tokens):
        arr.flags.writeable = False
    return RequestTrace(
        interarrival_s=gaps_s,
        context_tokens=context_tokens,
        generated_tokens=generated_tokens,
        source=f"requests/{path.name} <- " + _AZURE_UPSTREAM.format(kind=kind),
        mean_rate_per_s=(times_ns.size - 1) / span_s if span_s > 0 else 0.0,
    )


# --------------------------------------------------------------------------- RTT traces


@dataclass(frozen=True, slots=True, eq=False)
class RttSeries:
    """A measured RTT sequence replayed in simulated time (``at``) or drawn iid (``draw``)."""

    name: str
    samples_ms: F64  # in the trace's time order
    interval_s: float  # simulated seconds per sample (see the module docstring)
    source: str
    _values: list[float] = field(init=False, repr=False)  # the samples as floats, for `at`

    def __post_init__(self) -> None:
        object.__setattr__(self, "_values", self.samples_ms.tolist())

    def at(self, t_s: float) -> float:
        """The RTT the trace had at simulated time ``t_s``; the trace repeats every ``period_s``."""
        values = self._values
        return values[int(t_s // self.interval_s) % len(values)]

    def draw(self, rng: np.random.Generator) -> float:
        """One sample drawn uniformly from the trace, ignoring time."""
        return float(self.samples_ms[rng.integers(self.samples_ms.size)])

    @property
    def period_s(self) -> float:
        return self.samples_ms.size * self.interval_s

    @property
    def median_ms(self) -> float:
        return float(np.median(self.samples_ms))


@dataclass(frozen=True, slots=True, eq=False)
class RttTraces:
    """Every RTT series in the data, by key (e.g. ``"5g/first-hop"``); values in ms."""

    samples: dict[str, F64]
    sources: dict[str, str]
    intervals_s: dict[str, float]

    def series(self, key: str) -> RttSeries:
        if key not in self.samples:
            known = ", ".join(sorted(self.samples))
            raise ConfigError("network.rtt_series", f"unknown RTT series {key!r}; known: {known}")
        return RttSeries(key, self.samples[key], self.intervals_s[key], self.sources[key])

    def medians_ms(self) -> dict[str, float]:
        return {key: float(np.median(values)) for key, values in self.samples.items()}


def load_rtt(data: Path | None = None) -> RttTraces:
    """All RTT series: 5Gophers mmWave pings, 5Gophers per-carrier RTTs, AWS Wavelength (cached)."""
    return _load_rtt_dir(_resolve(data))


@lru_cache(maxsize=4)
def _load_rtt_dir(root: Path) -> RttTraces:
    samples: dict[str, F64] = {}
    sources: dict[str, str] = {}
    intervals: dict[str, float] = {}
    for loader in (_ping_series, _carrier_series, _wavelength_series):
        try:
            loaded = loader(root)
        except ValueError as exc:  # a malformed number or timestamp in a trace file
            raise ConfigError("data", f"malformed RTT trace under {root}: {exc}") from exc
        for key, (values, source, interval_s) in loaded.items():
            samples[key] = values
            sources[key] = source
            intervals[key] = interval_s
    return RttTraces(samples=samples, sources=sources, intervals_s=intervals)


_Series = dict[str, tuple[F64, str, float]]


def _ping_series(root: Path) -> _Series:
    """``{4g,5g}/{first-hop,us-east,us-west}``: every probe of the matching files, in name order."""
    values: dict[str, list[float]] = {}
    files: dict[str, list[str]] = {}
    paths = sorted(p for p in (root / _PING_DIR).glob("ping-trace-*.log") if not _is_held_out(p))
    for path in paths:
        for line in _read_lines(path)[1:]:
            fields = line.split(",")
            if len(fields) != 6:
                continue
            key = f"{fields[1].lower()}/{fields[3].lower()}"
            values.setdefault(key, []).append(float(fields[5]))
            if path.name not in files.setdefault(key, []):
                files[key].append(path.name)
    upstream = _GOPHERS_UPSTREAM.format(path="mmWave-only/04-Ping-Traces (Latency Tests)/")
    return {
        key: (
            _frozen_f64(vals),
            f"{_PING_DIR}/{{{','.join(files[key])}}} <- {upstream}",
            ASSUMED_PROBE_INTERVAL_S,
        )
        for key, vals in values.items()
    }


def _carrier_series(root: Path) -> _Series:
    """``5gophers/{carrier}/{server}`` from the all-carriers RTT table, in file order."""
    values: dict[str, list[float]] = {}
    for line in _read_lines(root / _CARRIER_RTT_FILE)[1:]:
        fields = line.split(",")
        if len(fields) != 3:
            continue
        key = f"5gophers/{fields[1].lower()}/{fields[2].lower()}"
        values.setdefault(key, []).append(float(fields[0]))
    source = f"{_CARRIER_RTT_FILE} <- " + _GOPHERS_UPSTREAM.format(
        path="All-Carriers/02-Round-Trip-Times/data.csv"
    )
    return {key: (_frozen_f64(v), source, ASSUMED_PROBE_INTERVAL_S) for key, v in values.items()}


# One Wavelength data row: (server_ip, zone, rtt_ms, utc).
_WlRow = tuple[str, str, float, str]


def _wavelength_rows(root: Path) -> tuple[list[_WlRow], list[str]]:
    """Unique ``(server_ip, UTC)`` rows of every results file, sorted by time, plus file names.

    Files overlap (``vf_man`` repeats ``ee_man``'s first block, ``ee_man_az``/``ee_man_wlz``
    re-split the same campaign, ``vf_data`` is part of ``vf``), so rows are de-duplicated.
    """
    unique: dict[tuple[str, str], _WlRow] = {}
    paths = sorted(p for p in (root / _WAVELENGTH_DIR).glob("*.csv") if not _is_held_out(p))
    for path in paths:
        for line in _read_lines(path):
            fields = [f.strip() for f in line.split(",")]
            if line.startswith("#") or len(fields) != 7 or not fields[2].endswith("ms"):
                continue
            ip, zone, rtt, utc = fields[0], fields[1], fields[2], fields[6]
            unique.setdefault((ip, utc), (ip, zone, float(rtt.removesuffix("ms")), utc))
    rows = sorted(unique.values(), key=lambda row: (row[3], row[0]))
    return _drop_mislabelled(rows), [p.name for p in paths]


def _drop_mislabelled(rows: list[_WlRow]) -> list[_WlRow]:
    """Drop rows whose zone is not their server's usual zone.

    This removes the one row the README flags: ``vf_data.csv`` labels region server
    18.168.5.59 as ``euw2-wl1-lon-wlz1`` (68 transactions).
    """
    usual = {ip: zones.most_common(1)[0][0] for ip, zones in _zones_by_ip(rows).items()}
    return [row for row in rows if row[1] == usual[row[0]]]


def _zones_by_ip(rows: list[_WlRow]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for ip, zone, _, _ in rows:
        counts.setdefault(ip, Counter())[zone] += 1
    return counts


def _wavelength_series(root: Path) -> _Series:
    """``wavelength/{lon-wlz,man-wlz,region,lon-region,man-region}``.

    ``region`` is every ``euw2-az2`` row; ``lon-region``/``man-region`` split it by the
    campaign it belongs to (the zone of the Wavelength row nearest in time), since the London
    and Manchester campaigns used different region servers and differ by ~15 ms.
    """
    rows, names = _wavelength_rows(root)
    zones = np.array([row[1] for row in rows])
    rtt_ms = np.array([row[2] for row in rows], dtype=np.float64)
    times_s = np.array([row[3].removesuffix("Z") for row in rows], dtype="datetime64[s]").astype(
        np.int64
    )
    region = zones == _REGION_ZONE
    partner = _nearest_partner_zone(times_s, zones, region)
    masks = {
        "wavelength/lon-wlz": zones == _LON_WLZ,
        "wavelength/man-wlz": np.isin(zones, _MAN_WLZS),
        "wavelength/region": region,
        "wavelength/lon-region": region & (partner == _LON_WLZ),
        "wavelength/man-region": region & np.isin(partner, _MAN_WLZS),
    }
    source = f"{_WAVELENGTH_DIR}/ <- " + _WAVELENGTH_UPSTREAM.format(files=",".join(names))
    return {
        key: (_frozen_f64(rtt_ms[mask]), source, float(np.median(np.diff(times_s[mask]))))
        for key, mask in masks.items()
    }


def _nearest_partner_zone(
    times_s: npt.NDArray[np.int64], zones: npt.NDArray[np.str_], region: npt.NDArray[np.bool_]
) -> npt.NDArray[np.str_]:
    """For every row, the zone of the nearest-in-time Wavelength-Zone row."""
    wlz_times = times_s[~region]
    wlz_zones = zones[~region]
    right = np.clip(np.searchsorted(wlz_times, times_s), 0, wlz_times.size - 1)
    left = np.clip(right - 1, 0, wlz_times.size - 1)
    use_left = np.abs(times_s - wlz_times[left]) < np.abs(wlz_times[right] - times_s)
    return np.where(use_left, wlz_zones[left], wlz_zones[right])


# --------------------------------------------------------------------------- access networks


@dataclass(frozen=True, slots=True)
class AccessNetwork:
    """The RTT series a device on one access type sees to the MEC node and to the cloud."""

    access: str  # "5g", "lte" or "wifi"
    mec: RttSeries  # device -> MEC (the carrier's first hop)
    cloud: RttSeries  # device -> cloud region (US-East server)
    assumed: bool  # True where no trace exists for this access type and another stands in

    @property
    def medians_ms(self) -> tuple[float, float]:
        """(device->MEC, device->cloud) median RTT in ms."""
        return self.mec.median_ms, self.cloud.median_ms


def network_model(data: Path | None = None) -> dict[str, AccessNetwork]:
    """One ``AccessNetwork`` per access type in ``ACCESS_SERIES``.

    5G uses the 5Gophers mmWave pings (first hop = MEC, US-East = cloud), LTE the 4G pings
    from the same study; Wi-Fi is ASSUMED to behave like 5G (there is no Wi-Fi trace).
    """
    traces = load_rtt(data)
    return {
        access: AccessNetwork(
            access=access,
            mec=traces.series(mec_key),
            cloud=traces.series(cloud_key),
            assumed=access in _ASSUMED_ACCESS,
        )
        for access, (mec_key, cloud_key) in ACCESS_SERIES.items()
    }
