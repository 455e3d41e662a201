"""Training one model: resumable fit, a run's file layout, interrupts, the lock, the workspace,
TensorBoard logs, test evaluation, the seed's fixed models."""
