"""The real data a GAN learns: 1-D functions (targets), point sets of any dimension (points: 2-D points,
CSV uploads), the 1-D samples' sets (samples) and the MNIST digits with their shipped networks (mnist).
Nothing here imports the rest of gan_core."""
