"""The scenario file format: its models, the loader with line-numbered problems, checks, messages and a template."""
