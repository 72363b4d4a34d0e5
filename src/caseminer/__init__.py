"""caseminer: mixed-method analysis of Chinese policy case texts."""

from .errors import CaseminerError

__version__ = "0.1.0"

__all__ = ["CaseminerError", "__version__"]
