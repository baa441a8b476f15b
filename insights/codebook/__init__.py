"""Codebooks, and coding segments with them (deductive coding).

The module ``insights/codebook.py`` moved to :mod:`insights.codebook._model`; the next
commit splits it into the modules of this package.
"""

from ._model import *  # noqa: F403
from ._model import __all__, _describe  # noqa: F401
