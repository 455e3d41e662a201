"""The files an export folder holds: a new export may replace only these."""

LABELS = "labels.txt"
EXPORT_FILES = frozenset({"saved_model.pb", "model.tflite", LABELS, "variables", "assets", "fingerprint.pb"})
