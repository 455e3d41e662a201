"""The `class_weight` hyperparameter (beyond the seed): how much each class's clips weigh in the training loss.

`balanced` weighs class c by n / (k * n_c) over the training split's n clips of k classes
(scikit-learn's `compute_class_weight`), so each class adds as much to the loss as any other;
`none` weighs every clip alike, as the seed. Keras applies the weights per clip (`fit(class_weight=)`);
a mixup clip's label vector weighs as its dominant class (Keras takes the argmax of a label vector).
"""

import numpy as np

CLASS_WEIGHT = "class_weight"
WEIGHTINGS = ("none", "balanced")
WEIGHTING_DEFAULTS = {CLASS_WEIGHT: WEIGHTINGS[0]}


def class_weights(weighting: str, labels: np.ndarray) -> dict[int, float] | None:
    """`fit`'s `class_weight` for the training split's integer `labels`: None for `none`."""
    if weighting == "none":
        return None
    classes = np.unique(labels)
    from sklearn.utils.class_weight import compute_class_weight  # here: `WEIGHTINGS` is read before it is needed

    weights = compute_class_weight(weighting, classes=classes, y=labels)
    return {int(c): float(w) for c, w in zip(classes, weights, strict=True)}
