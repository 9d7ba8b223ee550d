"""YAML for workflow files, loaded strictly: a key given twice in one mapping is an error naming both lines (plain
YAML loaders keep the later one silently, so a typo can replace a whole state's settings unnoticed)."""

from __future__ import annotations

from typing import Any

import yaml


class DuplicateKey(yaml.YAMLError):
    pass


class StrictLoader(yaml.SafeLoader):
    pass


def _mapping_without_duplicates(loader: StrictLoader, node: yaml.MappingNode) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: the mapping constructor reports it
            continue
        line = key_node.start_mark.line + 1
        if first is not None:
            raise DuplicateKey(f"line {line}: the key '{key}' is given twice (first on line {first}); keep one")
        seen[key] = line
    return loader.construct_mapping(node, deep=True)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def load(text: str) -> Any:
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
