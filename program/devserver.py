"""`make run`: database, migrations, demo data, then the web server, a Celery worker and beat.

Every failure a person can meet on a first run (port taken, database unreachable, no PostgreSQL, a
stale var/) ends in one message that says what to do, never a traceback. Ctrl-C stops all three
processes and their children.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class StartError(RuntimeError):
    pass


def _say(text: str) -> None:
    print(text, flush=True)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _ensure_database(var_dir: Path) -> None:
    from program import devdb

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        try:
            devdb.start(var_dir)
        except devdb.DevDbError as error:
            raise StartError(str(error)) from None
        _say(f"PostgreSQL: private cluster under {var_dir / 'postgres'}")
        return
    import psycopg

    parts = urlsplit(url)
    where = f"{parts.hostname or 'local socket'}:{parts.port or 5432}{parts.path}"
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise StartError(
            f"Cannot reach the database in DATABASE_URL ({where}): {reason}\n"
            "Start that server, fix DATABASE_URL, or unset it to use a private cluster under var/."
        ) from None
    _say(f"PostgreSQL: {where}")


def _manage(*args: str) -> None:
    result = subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], cwd=BASE_DIR, check=False)
    if result.returncode != 0:
        raise StartError(f"`manage.py {' '.join(args)}` failed (see above); fix it and run again.")


class Supervisor:
    """Runs the three processes, each in its own process group, and stops them all together."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = False

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.children[name] = subprocess.Popen(argv, cwd=BASE_DIR, env=env, start_new_session=True)

    def stop(self, *_: object) -> None:
        if self.stopping:
            return
        self.stopping = True
        # TERM to each leader only: the Celery worker then stops its own pool in order.
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 10
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            # Whatever a child left behind in its process group goes too: no orphans.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
        _say("Stopped web, worker and beat.")

    def watch(self) -> int:
        while True:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    if not self.stopping:
                        _say(f"\n{name} stopped unexpectedly (exit {code}); stopping the others.")
                        self.stop()
                    return 0 if self.stopping and code in (0, -signal.SIGTERM) else 1
            time.sleep(0.5)


def web_process(host: str, port: int) -> tuple[list[str], dict[str, str]]:
    """The development web server's command and environment.

    Django's development server handles each request in a thread of its own that then ends. A
    persistent connection (DB_CONN_MAX_AGE above 0) belongs to its thread, so each request would
    leave one idle connection behind until the server stops, and PostgreSQL runs out of
    connections. So the development server always opens one per request and closes it after
    (CONN_MAX_AGE 0); the worker and beat, whose threads live long, keep theirs.
    """
    argv = [PYTHON, "manage.py", "runserver", "--noreload", f"{host}:{port}"]
    return argv, {**os.environ, "DB_CONN_MAX_AGE": "0"}


def mail_note(var_dir: Path) -> str:
    """Where the e-mails the app sends can be read (settings: EMAIL_BACKEND, EMAIL_FILE_PATH)."""
    backend = os.environ.get("EMAIL_BACKEND", "")
    if backend and backend != "program.core.mail.MailboxBackend":
        return f"E-mail: sent by {backend} (EMAIL_BACKEND)."
    folder = Path(os.environ.get("EMAIL_FILE_PATH", var_dir / "mail")).resolve()
    return (
        f"E-mail: nothing leaves this machine; each message is a file in {folder}/ "
        "(list them: .venv/bin/python manage.py mailbox; the newest: ... mailbox --show last)"
    )


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    var_dir = Path(os.environ.get("VAR_DIR", BASE_DIR / "var")).resolve()
    try:
        if not _port_free(host, port):
            raise StartError(
                f"Port {port} on {host} is already in use (another `make run`?). "
                f"Stop that program, or choose another port: `make run PORT={port + 1}`."
            )
        var_dir.mkdir(parents=True, exist_ok=True)
        _ensure_database(var_dir)
        _manage("migrate", "--no-input", "-v", "0")
        _manage("load_demo")
        _manage("collectstatic", "--no-input", "-v", "0")
    except StartError as error:
        _say(f"\nerror: {error}")
        return 1

    supervisor = Supervisor()
    signal.signal(signal.SIGINT, supervisor.stop)
    signal.signal(signal.SIGTERM, supervisor.stop)
    celery = [PYTHON, "-m", "celery", "-A", "program"]
    supervisor.start("web", *web_process(host, port))
    supervisor.start("worker", [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"])
    supervisor.start("beat", [*celery, "beat", "--loglevel", "INFO"])
    _say(f"\nThe app is running at http://{host}:{port}/  (Ctrl-C stops web, worker and beat)")
    _say(mail_note(var_dir) + "\n")
    return supervisor.watch()


if __name__ == "__main__":
    sys.exit(main())
