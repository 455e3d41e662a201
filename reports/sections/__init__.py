"""The report's sections, one module each: the summary, the dataset, each experiment, re-checks, the comparison of
the families, outside test sets."""
