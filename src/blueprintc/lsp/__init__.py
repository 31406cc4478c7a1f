"""The blueprintc language server: diagnostics, hover, navigation and completion in editors.

It runs the compiler of :mod:`blueprintc.driver` in-process on the editor's unsaved text
and speaks the Language Server Protocol over stdio (``blueprintc lsp``, or
:func:`blueprintc.lsp.server.main`). Everything except :mod:`blueprintc.lsp.server` is
plain Python over :mod:`lsprotocol` types, so the features can be used and tested
without a client.
"""
