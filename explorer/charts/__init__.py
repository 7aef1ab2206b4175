"""Altair charts, one module per job: pure functions of pandas frames (the engine's NumPy pictures, the
heat map's colours and the digit grid, are gan_core.teaching.pictures).

    style     what every chart shares, said once: colours (red is real, blue is fake, everywhere), series
              names, height, the iteration axis, the legends' scales
    plane     samples over the discriminator's P(real) (GAN Lab's view): a function's curve, a 2-D point
              set's square plane, arrows, the warped latent grid; the preview's scatter
    line      a sample being one number: the densities and D(x) on a line, the generator's map z -> x
    training  curves against iteration: accuracy, losses, distances beside their floor, modes captured
    digits    MNIST: the classifier's verdicts on the digits made, its score
    runs      many runs at once: a sweep's seeds, a settings grid's cells, Compare's runs
    specs     live views: each chart's spec built once (`chart_spec`), only its data changed per check-in;
              the history thinned, fixed axes

Every chart has a title, axis labels and a legend.
"""
