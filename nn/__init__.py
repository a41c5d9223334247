"""chainrule's neural-network package: modules, layers, losses, initialization, data, checkpoints."""
from .scalar import Layer, MLP, Neuron
