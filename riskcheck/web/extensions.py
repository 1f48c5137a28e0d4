"""Flask extensions, created unbound; ``create_app`` calls ``init_app`` on each."""

from __future__ import annotations

from flask_babel import Babel
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
babel = Babel()
