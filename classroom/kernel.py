"""A Jupyter kernel for one submission, with a memory limit and time limits.

The kernel starts through a small launcher (written next to its kernelspec)
that calls ``resource.setrlimit`` before ipykernel starts: ``RLIMIT_AS``
caps its memory (an allocation past it raises ``MemoryError``, or the kernel
dies) and ``RLIMIT_CPU`` its processor time. :meth:`Kernel.run` executes one
cell with a wall-clock limit: past it the kernel is interrupted, and killed
if it does not stop. The kernel runs in its own folder, in its own process
group (killed as a whole at the end), with the environment it is given.

Example:
    >>> import tempfile
    >>> with Kernel(Path(tempfile.mkdtemp())) as kernel:  # doctest: +SKIP
    ...     kernel.run("x = 6 * 7", timeout=10).status
    'ok'
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_OUTPUT = 100_000  # characters of a cell's printed output kept (the rest is dropped)
LAUNCHER = """\
import resource
import sys

memory, cpu = int(sys.argv.pop(1)), int(sys.argv.pop(1))
if memory > 0:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
if cpu > 0:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
from ipykernel import kernelapp

kernelapp.launch_new_instance()
"""


@dataclass
class CellRun:
    """What running one cell gave.

    ``status`` is ``"ok"``, ``"error"`` (the cell raised: ``error`` says
    what), ``"timeout"`` (interrupted at the time limit) or ``"dead"`` (the
    kernel died or had to be killed; nothing more can run).

    Example:
        >>> CellRun("error", "ZeroDivisionError: division by zero").failed
        True
    """

    status: str
    error: str = ""
    output: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status != "ok"


def write_kernelspec(folder: Path, *, memory_mb: int, cpu_seconds: int) -> Path:
    """Write a kernelspec ``classroom`` under ``folder/kernels`` whose kernel runs with limits.

    Example:
        >>> import tempfile
        >>> spec = write_kernelspec(Path(tempfile.mkdtemp()), memory_mb=512, cpu_seconds=60)
        >>> json.loads((spec / "kernel.json").read_text())["argv"][2:4]
        ['536870912', '60']
    """
    spec = folder / "kernels" / "classroom"
    spec.mkdir(parents=True, exist_ok=True)
    launcher = spec / "launch.py"
    launcher.write_text(LAUNCHER, encoding="utf-8")
    argv = [
        sys.executable,
        str(launcher),
        str(memory_mb * 2**20),
        str(cpu_seconds),
        "-f",
        "{connection_file}",
    ]
    kernel = {"argv": argv, "display_name": "Python 3 (graded)", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    return spec


class Kernel:
    """A started kernel with limits; a context manager that kills it on exit."""

    def __init__(
        self,
        cwd: Path,
        *,
        env: dict[str, str] | None = None,
        memory_mb: int = 4096,
        cpu_seconds: int = 600,
        startup_timeout: float = 120,
    ) -> None:
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self.memory_mb = memory_mb
        self.cpu_seconds = cpu_seconds
        self.startup_timeout = startup_timeout
        self.dead = False
        self._manager: Any = None
        self._client: Any = None

    def __enter__(self) -> Kernel:
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager

        specs = self.cwd.parent / f".{self.cwd.name}-kernelspec"
        write_kernelspec(specs, memory_mb=self.memory_mb, cpu_seconds=self.cpu_seconds)
        spec_manager = KernelSpecManager(kernel_dirs=[str(specs / "kernels")])
        self._manager = KernelManager(
            kernel_name="classroom",
            kernel_spec_manager=spec_manager,
            transport="ipc",  # sockets are files in the kernel's folder: no TCP port races
            ip=str(specs / "ipc"),
            connection_file=str(specs / "connection.json"),
        )
        self._log = (specs / "kernel.log").open("wb")
        self._manager.start_kernel(
            cwd=str(self.cwd), env=self.env, stdout=self._log, stderr=self._log
        )
        self._client = self._manager.client()
        self._client.start_channels()
        try:
            self._client.wait_for_ready(timeout=self.startup_timeout)
        except RuntimeError:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the client and kill the kernel's whole process group."""
        if self._client is not None:
            self._client.stop_channels()
        if self._manager is not None:
            provisioner = getattr(self._manager, "provisioner", None)
            process = getattr(provisioner, "process", None)
            try:
                self._manager.shutdown_kernel(now=True)
            except (OSError, RuntimeError, AttributeError):
                pass  # already gone
            if process is not None:  # the kernel leads its own process group: end all of it
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except OSError:
                    pass
        if getattr(self, "_log", None) is not None:
            self._log.close()
        self.dead = True

    def alive(self) -> bool:
        """Whether the kernel process is still running."""
        return not self.dead and self._manager is not None and self._manager.is_alive()

    def run(self, code: str, *, timeout: float) -> CellRun:
        """Execute ``code``; interrupt it after ``timeout`` seconds, kill it if that fails."""
        if not self.alive():
            return CellRun("dead", "the kernel had stopped before this cell")
        client = self._client
        message_id = client.execute(
            code, store_history=True, allow_stdin=False, stop_on_error=False
        )
        deadline = time.monotonic() + timeout
        interrupted_at: float | None = None
        run = CellRun("ok")
        while True:
            now = time.monotonic()
            if interrupted_at is None and now > deadline:
                self._manager.interrupt_kernel()
                interrupted_at = now
            if interrupted_at is not None and now > interrupted_at + 10:
                self.close()
                return CellRun("dead", f"did not stop within {timeout:g} s, even when interrupted")
            try:
                message = client.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                if not self._manager.is_alive():
                    self.dead = True
                    return CellRun(
                        "dead",
                        "the kernel died (past the memory limit of "
                        f"{self.memory_mb} MB or the processor-time limit, or the code exited)",
                    )
                continue
            if message["parent_header"].get("msg_id") != message_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and sum(map(len, run.output)) < MAX_OUTPUT:
                run.output.append(content.get("text", "")[:MAX_OUTPUT])
            elif kind == "error":
                run.status = "error"
                run.error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                break
        if interrupted_at is not None:
            return CellRun("timeout", f"ran past its time limit of {timeout:g} s", run.output)
        return run
