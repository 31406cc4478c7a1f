"""``python -m blueprintc.lsp`` runs the language server on stdin and stdout."""

import sys

from blueprintc.lsp.server import main

sys.exit(main())
