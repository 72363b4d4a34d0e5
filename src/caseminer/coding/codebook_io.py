"""Codebooks as readable YAML, and the built-in example codebooks.

The YAML form is nested the way researchers draw a codebook (issue 6)::

    name: poverty-six-dimensions
    description: ...
    codes:
      - name: 落实防贫保障          # depth 0: selective unless 'level' says otherwise
        role: 基础
        color: "#C0392B"
        description: ...
        children:
          - name: 实施动态监测      # depth 1: axial
            children:
              - name: 防贫预警      # depth 2: open
                terms: [防贫预警, 返贫预警, 监测预警]

Keys of a code: ``name`` (required), ``id``, ``level`` (selective, axial, open or
``free``/null), ``role``, ``color``, ``description``, ``memo``, ``terms``,
``children``. A code without ``id`` gets a stable GUID derived from its path of names,
so loading the same file twice gives the same ids (reproducible projects).

The file is read with ``yaml.compose`` (safe, no Python objects) so that every error
names the line of the offending code.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from ..errors import InvalidInput, NotFound
from .model import Code, Codebook, default_level, stable_guid

_CODE_KEYS = {"id", "name", "level", "role", "color", "description", "memo", "terms", "children"}
_TOP_KEYS = {"name", "description", "codes"}
_LEVEL_WORDS = {"selective": "selective", "axial": "axial", "open": "open", "free": None}

# Resolved from the caseminer package itself: data/ is not a Python package.
EXAMPLES_DIR = ("data", "codebooks")


def load_codebook_yaml(text: str, *, source: str = "<codebook>") -> Codebook:
    """Build and validate a :class:`Codebook` from YAML text.

    ``source`` names the file in error messages. Raises :class:`InvalidInput` with the
    line number for malformed YAML, unknown keys, wrong types or an invalid tree.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        raise InvalidInput(
            f"{source}, line {line}: not valid YAML ({exc.problem or exc}). Check the "
            "indentation and the quotes around values with ':' or '#'.",
            code="E401",
        ) from None
    if root is None:
        raise InvalidInput(f"{source} is empty. Write at least a 'codes:' list.", code="E401")
    if isinstance(root, yaml.SequenceNode):
        top = {"codes": root}  # a bare list of codes is accepted too
        name = description = ""
    else:
        top = _mapping(root, source, "the file", _TOP_KEYS)
        name = _scalar(top.get("name"), source, "name") or ""
        description = _scalar(top.get("description"), source, "description") or ""
    codes_node = top.get("codes")
    if codes_node is None:
        raise InvalidInput(
            f"{source}: no 'codes:' list. Put the codes under a top-level 'codes:' key.",
            code="E401",
        )
    codes: list[Code] = []
    _read_codes(codes_node, source, parent=None, path=(), depth=0, out=codes)
    return Codebook(tuple(codes), name=name, description=description).validate(where=source)


def read_codebook_yaml(path: str | Path) -> Codebook:
    """Read a codebook from a YAML file (UTF-8). See :func:`load_codebook_yaml`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NotFound(f"{path}: no such codebook file. Check the path.", code="E401") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path}: not UTF-8 (byte {exc.start}). Save the codebook as UTF-8.", code="E401"
        ) from None
    return load_codebook_yaml(text, source=str(path))


def dump_codebook_yaml(codebook: Codebook) -> str:
    """The codebook as nested YAML text (ids included, so nothing is lost)."""

    def node(code: Code, depth: int) -> dict:
        item: dict = {"name": code.name, "id": code.id}
        if code.level != default_level(depth):
            item["level"] = code.level if code.level is not None else "free"
        for key in ("role", "color"):
            if getattr(code, key) is not None:
                item[key] = getattr(code, key)
        for key in ("description", "memo"):
            if getattr(code, key):
                item[key] = getattr(code, key)
        if code.terms:
            item["terms"] = list(code.terms)
        kids = codebook.children(code.id)
        if kids:
            item["children"] = [node(k, depth + 1) for k in kids]
        return item

    data: dict = {}
    if codebook.name:
        data["name"] = codebook.name
    if codebook.description:
        data["description"] = codebook.description
    data["codes"] = [node(c, 0) for c in codebook.roots()]
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def write_codebook_yaml(path: str | Path, codebook: Codebook) -> None:
    """Validate ``codebook`` and write it as YAML (UTF-8) to ``path``."""
    codebook.validate()
    Path(path).write_text(dump_codebook_yaml(codebook), encoding="utf-8")


def list_examples() -> list[str]:
    """Names of the built-in example codebooks (``load_example`` takes them)."""
    folder = _examples_dir()
    return sorted(
        p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_example(name: str) -> Codebook:
    """A built-in example codebook, e.g. ``load_example("poverty-six-dimensions")``.

    The poverty example is the reference study's codebook: 6 selective codes with
    their roles, 19 axial codes and 73 open codes with evidence terms.
    """
    names = list_examples()
    if name not in names:
        raise NotFound(
            f"No built-in codebook named {name!r}. Available: {', '.join(names)}.",
            code="E401",
        )
    text = _examples_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return load_codebook_yaml(text, source=f"built-in codebook {name}")


# -- helpers --------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as readable ``|`` blocks."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and value == value.strip() and "\r" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _examples_dir():
    return resources.files("caseminer").joinpath(*EXAMPLES_DIR)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node, source: str, what: str, allowed: set[str]) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise InvalidInput(
            f"{source}, line {_line(node)}: {what} must be a mapping (key: value lines).",
            code="E401",
        )
    out: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in allowed:
            raise InvalidInput(
                f"{source}, line {_line(key_node)}: unknown key {key!r} in {what}. "
                f"Allowed keys: {', '.join(sorted(allowed))}.",
                code="E401",
            )
        if key in out:
            raise InvalidInput(
                f"{source}, line {_line(key_node)}: the key {key!r} appears twice in {what}.",
                code="E401",
            )
        out[key] = value_node
    return out


def _scalar(node: yaml.Node | None, source: str, what: str) -> str | None:
    """A scalar as a string; YAML null (``~``, empty) gives ``None``."""
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise InvalidInput(
            f"{source}, line {_line(node)}: {what} must be a single value, not a list or "
            "mapping.",
            code="E401",
        )
    if node.tag == "tag:yaml.org,2002:null" and node.style is None:
        return None
    return node.value


def _read_codes(node, source, *, parent, path, depth, out) -> None:
    if not isinstance(node, yaml.SequenceNode):
        raise InvalidInput(
            f"{source}, line {_line(node)}: codes and children must be lists ('- name: ...').",
            code="E401",
        )
    sibling_names: dict[str, int] = {}
    for item in node.value:
        fields = _mapping(item, source, "a code", _CODE_KEYS)
        name = _scalar(fields.get("name"), source, "name")
        if not name or not name.strip():
            raise InvalidInput(
                f"{source}, line {_line(item)}: this code has no name. Add 'name: ...'.",
                code="E401",
            )
        where = f"{source}, line {_line(item)}: code {name!r}"
        level_word = _scalar(fields.get("level"), source, "level")
        if "level" not in fields:
            level = default_level(depth)
        elif level_word is None:
            level = None
        elif level_word in _LEVEL_WORDS:
            level = _LEVEL_WORDS[level_word]
        else:
            raise InvalidInput(
                f"{where} has the level {level_word!r}. Use selective, axial, open or free.",
                code="E401",
            )
        if "color" in fields and _scalar(fields["color"], source, "color") is None:
            raise InvalidInput(
                f"{where}: the colour is empty. Quote it, as in color: \"#C0392B\" (a bare "
                "# starts a YAML comment).",
                code="E401",
            )
        terms_node = fields.get("terms")
        terms: list[str] = []
        if terms_node is not None:
            if not isinstance(terms_node, yaml.SequenceNode):
                raise InvalidInput(
                    f"{where}: 'terms' must be a list, e.g. terms: [防贫预警, 返贫预警].",
                    code="E401",
                )
            for t in terms_node.value:
                term = _scalar(t, source, "a term")
                if not term or not term.strip():
                    raise InvalidInput(f"{where}: an empty term in 'terms'.", code="E401")
                terms.append(term.strip())
        if name in sibling_names:
            raise InvalidInput(
                f"{where}: a code of the same name is already at line "
                f"{sibling_names[name]} under the same parent. Merge them or rename one.",
                code="E401",
            )
        sibling_names[name] = _line(item)
        code_path = (*path, name)
        code = Code(
            id=_scalar(fields.get("id"), source, "id") or stable_guid("code", *code_path),
            name=name,
            level=level,
            parent_id=parent,
            description=_scalar(fields.get("description"), source, "description") or "",
            role=_scalar(fields.get("role"), source, "role"),
            color=_scalar(fields.get("color"), source, "color"),
            memo=_scalar(fields.get("memo"), source, "memo") or "",
            terms=tuple(terms),
        )
        out.append(code)
        if "children" in fields and fields["children"] is not None:
            if _scalar_null(fields["children"]):
                continue
            _read_codes(
                fields["children"], source, parent=code.id, path=code_path, depth=depth + 1, out=out
            )


def _scalar_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
