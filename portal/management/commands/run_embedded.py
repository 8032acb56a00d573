import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from portal.celery import QUEUES


class Command(BaseCommand):
    """The embedded run: web server, Celery worker and beat side by side; Ctrl-C stops all three."""

    help = "Start the development web server, a Celery worker and Celery beat together."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addrport],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                # One worker takes every queue here (development); production splits them.
                "--queues",
                ",".join(QUEUES),
            ],
            "beat": [python, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO"],
        }
        # Fixed argument lists built here, no shell, no outside input.
        processes = {name: subprocess.Popen(command, env=os.environ.copy()) for name, command in commands.items()}  # noqa: S603
        self.stdout.write(self.style.SUCCESS(f"Portal: http://{addrport}/  (Ctrl-C stops web, worker and beat)"))
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        # Ctrl-C reaches every process of the terminal's group; ours only has to wait for the others.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    # One part stopping on its own would leave a half-working portal: stop everything.
                    self.stderr.write(f"{name} stopped with exit code {process.returncode}; stopping the others.")
                    exit_code = process.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(exit_code)
