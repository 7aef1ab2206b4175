"""The Keras 3 pitfall that gan_core avoids, and the reference port that bench/ uses."""
import numpy as np
import pytest

from bench.tutorial_loop import TutorialGAN, define_discriminator, define_generator


def test_tutorial_freeze_trick_stops_the_discriminator_in_keras3():
    d = define_discriminator()
    g = define_generator(5)
    d.trainable = False  # the tutorial's define_gan, verbatim
    gan = __import__("keras").Sequential([g, d])
    gan.compile(loss="binary_crossentropy", optimizer="adam")
    before = [w.copy() for w in d.get_weights()]
    d.train_on_batch(np.random.rand(64, 2), np.ones((64, 1)))
    assert all((a == b).all() for a, b in zip(before, d.get_weights()))  # it never trains


@pytest.mark.slow
def test_reference_port_trains_both_networks_and_only_the_generator_in_the_composite():
    t = TutorialGAN(seed=0)
    d0, g0 = [w.copy() for w in t.d_model.get_weights()], [w.copy() for w in t.g_model.get_weights()]
    t.train(2)
    assert any((a != b).any() for a, b in zip(d0, t.d_model.get_weights()))
    assert any((a != b).any() for a, b in zip(g0, t.g_model.get_weights()))
    d1 = [w.copy() for w in t.d_model.get_weights()]
    t.d_model.trainable = False
    t.gan_model.train_on_batch(np.random.randn(128, 5), np.ones((128, 1)))
    t.d_model.trainable = True
    assert all((a == b).all() for a, b in zip(d1, t.d_model.get_weights()))
