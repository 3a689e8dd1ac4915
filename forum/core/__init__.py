"""Domain-neutral building blocks: database helpers, mail, signed links, real time, security, errors."""
