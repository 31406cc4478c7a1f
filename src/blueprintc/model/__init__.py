"""The resolved model of a blueprint: one immutable, typed object per declaration."""

from blueprintc.model.elements import *  # noqa: F403
from blueprintc.model.elements import __all__ as _elements
from blueprintc.model.model import Model

__all__ = ["Model", *_elements]
