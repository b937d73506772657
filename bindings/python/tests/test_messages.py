"""The message table (tests/vectors/messages/mistakes.json) in Python: each mistake raises the error class of its
reading with the table's code, and ``str(e)`` holds the Chinese pieces before the English ones and none of the words
a person should not meet — the same table the core, the CLI and Node run."""

import json
import pathlib

import pytest

import pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]
TABLE = json.loads((ROOT / "tests" / "vectors" / "messages" / "mistakes.json").read_text(encoding="utf-8"))


def meet(case):
    """The exception the case's input raises, read as the case says."""
    text = case["input"]
    with pytest.raises(pucha.PuchaError) as e:
        if case["reading"] == "observation":
            pucha.score(text)
        elif case["reading"] == "result":
            pucha.summarize([text])
        else:
            pucha.Pack("census-2015", json.loads(text))
    return e.value


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_every_mistake_is_said_chinese_first(case):
    e = meet(case)
    said = str(e)
    expected_class = {"observation": pucha.ObservationError, "result": pucha.ReportError, "params": pucha.PackError}
    assert isinstance(e, expected_class[case["reading"]]), type(e)
    if "code" in case:
        assert e.code == case["code"], said
    if "path" in case:
        assert e.path == case["path"], said
    zh_at = [said.find(p) for p in case["zh"]]
    en_at = [said.find(p) for p in case["en"]]
    assert -1 not in zh_at, (case["zh"], said)
    assert -1 not in en_at, (case["en"], said)
    assert max(zh_at) < min(en_at), said
    for p in case["absent"]:
        assert p not in said, (p, said)
