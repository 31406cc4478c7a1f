"""Planning: phasing, financial design, vendor selection and the maturity index."""
