"""Turn one pydantic validation error into one line naming the config key and the fix."""
from __future__ import annotations

import difflib
import typing

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

_TABLES = {"critics", "fetch", "consensus", "runner", "alerts", "film_aliases"}  # TOML [tables], not [[arrays]]
_OPTIONAL = " (or leave the key out)"
_OPS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


class ConfigError(ValueError):
    """A config file that cannot be used; the message says what to fix."""


def describe_error(root: type[BaseModel], error: dict) -> str:
    """One line for a pydantic error dict: the key as the user wrote it, what is wrong, how to fix it."""
    loc = tuple(error["loc"])
    label = key_label(loc)
    if error["type"] == "extra_forbidden":
        return f"{label}: {unknown_key_hint(root, loc)}"
    if error["type"] == "value_error":
        return f"{label + ': ' if loc else ''}{error['msg'].removeprefix('Value error, ')}"
    field = field_at(root, loc)
    if error["type"] == "missing":
        want = expectation(field) if field else "a value"
        return f"{label} is missing; add {loc[-1]} = <{want}>"
    inner = _is_item(root, loc)
    want = (item_phrase(field) if inner else expectation(field)) if field else _from_message(error["msg"])
    default = "" if inner else _default(field)
    return f"{label} = {toml_repr(error.get('input'))} is not allowed; use {want}{default}"


def key_label(loc: tuple) -> str:
    """`sources[0].max_pages`, `[runner] workers`, `batch_size`: the key as a reader finds it in the file."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    head, _, rest = text.partition(".")
    if head in _TABLES:
        return f"[{head}] {rest}".rstrip()
    return text or "config"


def unknown_key_hint(root: type[BaseModel], loc: tuple) -> str:
    """`unknown key max_page; did you mean max_pages?` using the names valid at that place."""
    model = model_at(root, loc[:-1])
    valid = sorted(model.model_fields) if model else []
    name = str(loc[-1])
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    if close:
        return f"unknown key `{name}`; did you mean `{close[0]}`?"
    where = key_label(loc[:-1]) if loc[:-1] else "the top level"
    return f"unknown key `{name}`; valid keys in {where}: {', '.join(valid)}"


def model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The settings model that holds the keys at loc (list indexes step into the item model)."""
    model = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        model = _model_of(field.annotation) if field else None
    return model


def field_at(root: type[BaseModel], loc: tuple) -> FieldInfo | None:
    """The field a loc ends in, skipping list indexes and dict keys after the field name."""
    model, field = root, None
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        if field is None:
            break
        model = _model_of(field.annotation)
    return field


def _model_of(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found:
            return found
    return None


def expectation(field: FieldInfo) -> str:
    """`an integer >= 1`, `a number from 0 to 1`, `a list of strings` from a field's type and bounds."""
    text = type_phrase(field.annotation)
    optional = text.endswith(_OPTIONAL)
    text = text.removesuffix(_OPTIONAL)
    bounds = {attr: getattr(m, attr) for m in field.metadata for attr in ("ge", "gt", "le", "lt") if hasattr(m, attr)}
    if _min_length(field.metadata) and (text.startswith("a list") or text == "a string"):
        text = "a non-empty " + text.removeprefix("a ")
    if "ge" in bounds and "le" in bounds:
        text += f" from {bounds['ge']} to {bounds['le']}"
    else:
        text += "".join(f" {_OPS[attr]} {value}" for attr, value in bounds.items())
    return text + (_OPTIONAL if optional else "")


def _min_length(metadata) -> bool:
    """Whether constraints (annotated_types or a nested FieldInfo) demand at least one item or character."""
    for m in metadata:
        inner = m.metadata if isinstance(m, FieldInfo) else [m]
        if any(isinstance(x, at.MinLen) and x.min_length > 0 for x in inner):
            return True
    return False


def item_phrase(field: FieldInfo) -> str:
    """The expectation for one item of a list or table field."""
    args = typing.get_args(field.annotation)
    return type_phrase(args[-1]) if args else type_phrase(field.annotation)


def _is_item(root: type[BaseModel], loc: tuple) -> bool:
    """Whether loc points inside a list or table field (an item), not at the field itself."""
    model, depth = root, 0
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return model is None or depth > 0
        model = _model_of(field.annotation)
    return isinstance(loc[-1], int) if loc else False


def type_phrase(annotation, plural: bool = False) -> str:
    """English for a type annotation."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        if args[0] is str and _min_length(args[1:]):
            return "non-empty strings" if plural else "a non-empty string"
        return type_phrase(args[0], plural)
    if origin is typing.Literal:
        return "one of " + ", ".join(toml_repr(a) for a in args)
    if origin is list:
        return "a list of " + type_phrase(args[0], plural=True)
    if origin is dict:
        return "a table of strings"
    if args and type(None) in args:
        return " or ".join(type_phrase(a, plural) for a in args if a is not type(None)) + _OPTIONAL
    names = {int: ("an integer", "integers"), float: ("a number", "numbers"), str: ("a string", "strings"),
             bool: ("true or false", "booleans")}
    if annotation in names:
        return names[annotation][plural]
    return "tables" if plural else "a table"


def _default(field: FieldInfo | None) -> str:
    if field is None or field.default_factory is not None or field.is_required():
        return ""
    return f" (default {toml_repr(field.default)})" if field.default not in (None, "") else ""


def _from_message(msg: str) -> str:
    return msg.removeprefix("Input should be ").replace("a valid ", "a ")


def toml_repr(value) -> str:
    """A value as it would be written in TOML, for quoting the user's input back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_repr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_repr(v)}" for k, v in value.items()) + "}"
    return str(value)
