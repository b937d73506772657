"""The README's Python examples run as written."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_readme_python_blocks(capsys):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has Python examples"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "结论" in capsys.readouterr().out


def test_package_docstring_example():
    import doctest

    import pucha

    failures, tried = doctest.testmod(pucha)
    assert tried > 0 and failures == 0
