"""A grid's tasks on Ray (optional: `pip install -r requirements-ray.txt`): a local Ray instance
(`--ray local`) or an existing cluster (`--ray ADDRESS`, or GAN_EXPLORER_RAY_ADDRESS).

Ray schedules; nothing here does. Each task (grid.py: at most TASK_RUNS stacked runs of one
shape) is one `ray.remote` call that trains its stacked sweep to the end in a Ray worker and
returns its runs' checkpoints. gan_core travels with the tasks (`py_modules`), so a cluster needs
only the same Python packages (requirements.txt). A worker's TensorFlow gets one intra-op thread:
a task is given one CPU, and a 1-D step is too small to split (explorer/devices.py measured it).
"""
from __future__ import annotations

import os
import pathlib

ADDRESS_VARIABLE = "GAN_EXPLORER_RAY_ADDRESS"
INSTALL = "pip install -r requirements-ray.txt (Ray 2.60)"
_WORKER_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
               "RAY_AUTH_MODE": "disabled"}


class RayMissing(RuntimeError):
    """Ray was asked for but is not installed."""


def installed() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def require(asked_by: str) -> None:
    """RayMissing, saying how to install it, unless Ray is importable."""
    if not installed():
        raise RayMissing(f"{asked_by} needs Ray, which is not installed: {INSTALL}. Without it the grid "
                         "trains in this process (leave out --ray).")


def configured_address() -> str | None:
    """The cluster the server is told to use (GAN_EXPLORER_RAY_ADDRESS), or None."""
    return os.environ.get(ADDRESS_VARIABLE) or None


def train_task(configs: list, points) -> list:
    """A task, in a Ray worker (or anywhere): its runs stacked in one sweep, trained to the end; their
    checkpoints (state, check-ins), in order."""
    from gan_core.training.sweep import Sweep

    sweep = Sweep.of_configs(configs, points, [len(configs)])
    for _ in sweep.train():
        pass
    return [sweep.checkpoint_at(i) for i in range(len(configs))]


class RayCluster:
    """A connection to Ray: `address` "local" starts a local instance (stopped with shutdown());
    another address joins that cluster."""

    def __init__(self, address: str = "local"):
        require(f"--ray {address}")
        import ray

        os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a local test: no token notice
        self.address = address
        runtime_env = {"py_modules": [str(pathlib.Path(__file__).resolve().parents[1])], "env_vars": _WORKER_ENV}
        if not ray.is_initialized():
            options = {"num_cpus": os.cpu_count()} if address == "local" else {"address": address}
            ray.init(**options, runtime_env=runtime_env, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        self._remote = ray.remote(num_cpus=1, max_retries=0)(train_task)

    def submit(self, configs: list, points):
        return self._remote.remote(configs, points)

    def finished(self, refs: list, timeout: float) -> list:
        """(ref, its result) for the refs done within timeout seconds (a task's error raised here)."""
        import ray

        if not refs:
            return []
        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=timeout)
        return [(ref, ray.get(ref)) for ref in ready]

    def cancel(self, refs: list) -> None:
        import ray

        for ref in refs:
            ray.cancel(ref, force=True)

    def describe(self) -> dict:
        """nodes and CPUs (the tasks that can train at once) of the cluster."""
        import ray

        nodes = [n for n in ray.nodes() if n.get("Alive")]
        return {"nodes": len(nodes), "cpus": int(ray.cluster_resources().get("CPU", 0))}

    @staticmethod
    def shutdown() -> None:
        import ray

        ray.shutdown()
