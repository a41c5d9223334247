"""chainrule's neural-network package: modules, layers, losses, initialization, data, checkpoints."""
from .scalar import Layer, MLP, Neuron
from . import data, utils
from .regularization import EarlyStopping, l1_penalty, l2_penalty
from .serialization import CheckpointError, load, save
