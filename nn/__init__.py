"""chainrule's neural-network package: modules, layers, losses, initialization, data, checkpoints."""
