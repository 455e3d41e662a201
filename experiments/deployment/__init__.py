"""Using a trained model: prediction, output formats, serving export, outside test sets, and their commands."""
