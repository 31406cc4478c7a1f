"""Editor support generated from the language's schema (the TextMate grammar of ``.cxb``)."""
