"""musicnn (Pons and Serra, 2019): MTT_musicnn rebuilt in Keras 3, its authors' weights and front end, and the
embeddings the `musicnn` family trains its head on."""
