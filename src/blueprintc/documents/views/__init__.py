"""One module per document: ``build(ctx)`` returns the immutable view its template shows."""
