"""Fuzz test of the readers (Hypothesis, fixed seed): no crash, no lost word, no hang.

Every generated transcript (13 families, several encodings, tabs, joiners, soft
hyphens, brackets) must be read with each of its words in a turn, a skipped piece
or the markup; every damaged one must be read or refused with one InputError line
naming the file. benchmarks/reliability_eval.py runs the same generators at scale.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.io import read_transcript, words
from insights.schema import InputError

sys.path.insert(0, str(Path(__file__).parent))
from fuzz_inputs import FAMILIES, SUFFIX, make_input, mutate  # noqa: E402

FOLDER = Path(tempfile.mkdtemp(prefix="insights-fuzz-"))
#: seconds any one input may take (a generous bound: the machine is shared)
LIMIT = 5.0
FAST = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def read(data: bytes, suffix: str):
    path = FOLDER / f"input{suffix}"
    path.write_bytes(data)
    t0 = time.perf_counter()
    try:
        return read_transcript(path), None
    except InputError as exc:
        msg = str(exc)
        assert "\n" not in msg and path.name in msg and "Fix:" in msg, msg
        return None, exc
    finally:
        assert time.perf_counter() - t0 < LIMIT, f"{suffix}: {len(data)} bytes took too long"


def accounted(t) -> object:
    return (
        words(" ".join(x.text for x in t.turns))
        + words(" ".join(s[2] for s in t.skipped))
        + words(" ".join(t.markup))
    )


@FAST
@given(seed=st.integers(0, 2**32 - 1), family=st.sampled_from(FAMILIES))
def test_generated_transcripts_lose_no_word(seed, family):
    data, logical = make_input(random.Random(seed), family)
    t, err = read(data, SUFFIX[family])
    if t is None:  # refused: only when nothing in it is speech
        assert not any(c.isalpha() for c in logical), err
        return
    missing = words(logical) - accounted(t)
    assert not missing, (family, dict(missing))


@FAST
@given(seed=st.integers(0, 2**32 - 1), family=st.sampled_from(FAMILIES))
def test_damaged_transcripts_are_read_or_refused_in_one_line(seed, family):
    rng = random.Random(seed)
    data, _ = make_input(rng, family)
    read(mutate(rng, data), SUFFIX[family])


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(sorted(set(SUFFIX.values()))))
def test_any_bytes_are_read_or_refused_in_one_line(data, suffix):
    read(data, suffix)
