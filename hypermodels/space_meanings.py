"""What each hyperparameter of a search space does, in one line: the words of the search-space reference page."""

from hypermodels.class_weighting import CLASS_WEIGHT

MEANINGS: dict[str, str] = {
    "conv_filters": "filters of the three Conv-BN-ReLU blocks",
    "kernel_size": "square convolution kernel of every block",
    "pool_size": "square max pooling after blocks 1 and 2",
    "dropout_block3": "dropout after the third block",
    "dense_units": "units of the head's Dense layer (or of its per-frame convolution with `head_pooling: time`)",
    "head_pooling": "`global`: average over bands and frames before the head (the seed's); `time`: the head sees each "
    "frame's bands, then averages over time",
    "dropout_head": "dropout before the classifier",
    "learning_rate": "Adam's learning rate",
    "l2_strength": "L2 penalty on every convolution and Dense kernel of the model (musicnn: of its head) (0: none)",
    "gru_units": "units of the two bidirectional GRU layers",
    "dropout": "input dropout of both GRU layers",
    "use_dense_head": "a Dense(32) ReLU layer before the classifier",
    "head_dropout": "dropout after that Dense(32) layer (with `use_dense_head`)",
    "pitch_shift": "training only: a pitch shift of up to +-this many semitones (Mel bands warped)",
    "eq_db": "training only: a smooth random curve of band gains of up to +-this many dB",
    "gain_db": "training only: a level change of up to +-this many dB",
    "time_shift": "training only: a shift of up to +-this fraction of the clip",
    "time_shift_mode": "how `time_shift` treats what leaves the clip: `circular` wraps it round, `padded` loses it",
    "noise_snr_db": "training only: coloured noise at an SNR drawn from [this, this + 30] dB (0: off)",
    "time_mask": "training only: SpecAugment, one band of up to this many frames set to the clip's mean",
    "freq_mask": "training only: SpecAugment, one band of up to this many Mel bands set to the clip's mean",
    "mixup_alpha": "training only: each clip mixed with another of its batch at a Beta(alpha, alpha) weight, labels "
    "alike (0: off)",
    "embedding": "musicnn's embedding the head reads: `penultimate` (200 values), `pooled` (mean and max over time "
    "of the mid-end, 1,506), `tags` (the 50 MagnaTagATune tag probabilities), or `penultimate_tuned` (the "
    "network's back end, pooled to penultimate, fine-tuned with the head from its pretrained weights)",
    "head_units": "units of the head's Dense ReLU layer (0: none, a linear probe)",
    "unfrozen_blocks": "how many of musicnn's last blocks train with the head: 1 its back end (pooled to penultimate), "
    "2 to 4 also its mid-end convolutions, from the top; its front end and the rest keep their pretrained weights",
    CLASS_WEIGHT: "`none`: every clip weighs alike (the seed's); `balanced`: each class weighs as much as any other in "
    "the loss",
}
