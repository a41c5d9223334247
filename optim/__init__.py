"""chainrule's optimizers and learning-rate schedules."""
