"""Output formats: one module per format, each turning DocumentResults into text or bytes."""
