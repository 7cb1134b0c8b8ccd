"""Answer steps: extractive (default, no model) and, optionally, LLM answers behind a figure guard."""
