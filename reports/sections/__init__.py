"""The report's sections, one module each: dataset, experiment, comparison, outside test sets."""
