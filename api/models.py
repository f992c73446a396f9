"""The JSON API's clients live with the lookup log that refers to them: ``appeals.models``."""
