"""chainrule's neural-network package: modules, layers, losses, initialization, data, checkpoints."""
from .scalar import Layer, MLP, Neuron
from .module import Flatten, Identity, Module, ModuleDict, ModuleList, Parameter, Sequential
from .linear import Embedding, Linear
from .activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from .dropout import Dropout
from .normalization import BatchNorm1d, LayerNorm
from .loss import (
    BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss,
)
from . import functional, init
from . import data, utils
from .regularization import EarlyStopping, l1_penalty, l2_penalty
from .serialization import CheckpointError, load, save
from . import diagnostics
from .diagnostics import GradientMonitor
