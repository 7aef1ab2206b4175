"""The networks and what moves them: the models, the losses (one entry each), the optimizers' state and
updates (adam), DiffAugment (augment) and latent points (latent). Nothing here imports the rest of gan_core."""
