"""The model container: every element of a blueprint, in a deterministic order."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

import attrs

from blueprintc.model.elements import (
    Assertion,
    Baseline,
    Blueprint,
    Brand,
    Element,
    Maturity,
    Practice,
    Ref,
    Risk,
    Staffing,
    ranked,
)

E = TypeVar("E", bound=Element)


@attrs.frozen(eq=False, repr=False)
class Model:
    """The resolved model: the blueprint's settings and its elements by reference."""

    blueprint: Blueprint
    elements: Mapping[Ref, Element]
    assertions: tuple[Assertion, ...] = ()
    catalogue: tuple[Practice, ...] = ()  # every practice known, referenced or not
    _of: dict[type, tuple[Element, ...]] = attrs.field(factory=dict, init=False)

    def get(self, ref: Ref) -> Element | None:
        return self.elements.get(ref)

    def __repr__(self) -> str:
        """One line: ``<Model 'Northwind Bank customer care': 84 elements>``."""
        return f"<Model {self.blueprint.title!r}: {len(self.elements)} elements>"

    def of(self, cls: type[E]) -> tuple[E, ...]:
        """All elements of one class, in declaration order (found once per class: the
        elements never change)."""
        found = self._of.get(cls)
        if found is None:
            found = self._of[cls] = tuple(e for e in self.elements.values() if isinstance(e, cls))
        return found  # type: ignore[return-value]

    def replaced(self, *changed: Element, removed: Ref | None = None) -> Model:
        """This model with some elements changed (matched by reference) and one removed:
        a what-if variant (the design without one lever). The classes the change does not
        touch keep their lists of elements, so a variant costs little to make."""
        elements = dict(self.elements)  # a copy at C speed: thousands of elements a lever
        for element in changed:
            if element.ref in elements:  # in its place: the order stays the model's
                elements[element.ref] = element
        if removed is not None:
            elements.pop(removed, None)
        variant = attrs.evolve(self, elements=elements)
        gone = self.elements.get(removed) if removed is not None else None
        touched = [*changed, *([gone] if gone is not None else [])]
        for cls, found in self._of.items():
            if not any(isinstance(element, cls) for element in touched):
                variant._of[cls] = found
        return variant

    def __iter__(self) -> Iterator[Element]:
        yield from self.elements.values()

    def _single(self, cls: type[E]) -> E | None:
        found = self.of(cls)
        return found[0] if found else None

    @property
    def brand(self) -> Brand | None:
        return self._single(Brand)

    @property
    def staffing(self) -> Staffing | None:
        return self._single(Staffing)

    @property
    def maturity(self) -> Maturity | None:
        return self._single(Maturity)

    @property
    def baseline(self) -> Baseline | None:
        return self._single(Baseline)

    @property
    def risks(self) -> tuple[Risk, ...]:
        """The declared risks, the most severe first (:func:`~blueprintc.model.elements.ranked`)."""
        return ranked(self.of(Risk))
