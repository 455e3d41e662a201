"""Markdown comparison report generated from what a workdir holds."""
