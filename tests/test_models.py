from gan_core.networks.models import (define_discriminator, define_gan, define_generator, frozen, param_counts,
                                      summary_text)


def test_tutorial_parameter_counts():
    d, g = define_discriminator(), define_generator(5)
    assert param_counts(d) == (101, 101)
    assert param_counts(g) == (122, 122)
    gan = define_gan(g, d)
    assert param_counts(gan) == (223, 223)
    with frozen(d):  # the tutorial's composite shows the discriminator frozen
        assert param_counts(gan) == (223, 122)
    assert param_counts(d) == (101, 101)  # and the freeze does not stick
    text = summary_text(gan, freeze=d)
    assert "223" in text and "Trainable params: 122" in text


def test_width_depth_activation_latent_dim_are_parameters():
    d = define_discriminator(hidden=(32, 16), activation="leaky_relu")
    assert param_counts(d)[0] == (2 * 32 + 32) + (32 * 16 + 16) + (16 + 1)
    g = define_generator(latent_dim=3, hidden=(8,), activation="tanh")
    assert g.input_shape == (None, 3) and g.output_shape == (None, 2)
    assert param_counts(g)[0] == (3 * 8 + 8) + (8 * 2 + 2)


def test_same_seed_same_initial_weights():
    a, b = define_generator(seed=3), define_generator(seed=3)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        assert (wa == wb).all()


def test_first_weights_are_the_built_models_weights():
    # a run starts from first_weights and builds its Keras models only when asked: the two must agree
    from gan_core.networks.models import first_weights

    for hidden, activation in (((25,), "relu"), ((8, 4), "tanh"), ((6,), "leaky_relu")):
        d = define_discriminator(4, hidden, activation, seed=7, output="linear")
        g = define_generator(3, hidden, activation, n_outputs=2, seed=11)
        for model, weights in ((d, first_weights(4, hidden, activation, 1, 7)),
                               (g, first_weights(3, hidden, activation, 2, 11))):
            built = model.get_weights()
            assert len(built) == len(weights)
            for a, b in zip(built, weights):
                assert a.dtype == b.dtype and (a == b).all()
