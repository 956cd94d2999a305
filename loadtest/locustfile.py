"""Locust scenario: caseworkers, occupancy administrators and finance staff at work on the demo.

Each simulated person signs in through the log-in page with a demo user (program/core/
demo_users.py; never the administrator, whose sign-in may need a second factor), then reads the
pages of their day, reading each for 5-15 seconds. Request names carry the group
("caseworker: case detail"), so the summary can be read per group. Run by scripts/load.py;
never imported by the tests (locust patches the standard library with gevent).
"""

import json
import os
import random
import re
import time
from pathlib import Path
from typing import ClassVar

from locust import HttpUser, between, events, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"  # as program.core.demo_users.demo_password


class StaffUser(HttpUser):
    abstract = True
    # Staff read what a page shows before the next click: 5-15 s, so 40 people at work send
    # about 4 requests a second (a 1-3 s pause would be 40 people clicking nonstop).
    wait_time = between(5, 15)
    group = ""
    usernames: ClassVar[list[str]] = []

    def on_start(self) -> None:
        username = random.choice(self.usernames)  # noqa: S311 - spreading load, not a secret
        page = self.client.get("/login/", name=f"{self.group}: log-in page")
        token = CSRF.search(page.text)
        with self.client.post(
            "/login/",
            data={
                "username": username,
                "password": demo_password(username),
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/login/"},
            name=f"{self.group}: sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in as {username} answered {response.status_code}")
        self.ids = self._ids()

    def _ids(self) -> list[int]:
        return []

    def page(self, path: str, what: str) -> None:
        self.client.get(path, name=f"{self.group}: {what}")

    def api_ids(self, path: str) -> list[int]:
        response = self.client.get(path, name=f"{self.group}: {path.split('?')[0]}")
        if response.status_code != 200:
            return []
        return [row["id"] for row in response.json().get("results", [])]


class Caseworker(StaffUser):
    weight = 3
    group = "caseworker"
    usernames: ClassVar[list[str]] = ["caseworker"]

    def _ids(self) -> list[int]:
        return self.api_ids("/api/v1/transfer-cases/?page_size=50")

    @task(3)
    def worklist(self) -> None:
        self.page("/cases/", "worklist")

    @task(3)
    def case(self) -> None:
        if self.ids:
            self.page(f"/cases/{random.choice(self.ids)}/", "case detail")  # noqa: S311

    @task(2)
    def inmates(self) -> None:
        self.page("/inmates/", "inmate list")

    @task(1)
    def home(self) -> None:
        self.page("/", "home")

    @task(1)
    def transports(self) -> None:
        self.page("/cases/transports/", "transports")


class OccupancyAdministrator(StaffUser):
    weight = 2
    group = "occupancy"
    usernames: ClassVar[list[str]] = ["occupancy_admin"]

    def _ids(self) -> list[int]:
        places = self.client.get("/api/v1/places/?page_size=200", name="occupancy: /api/v1/places/")
        if places.status_code != 200:
            return []
        return sorted({row["unit"] for row in places.json().get("results", [])})

    @task(3)
    def occupancy(self) -> None:
        self.page("/programme/occupancy/", "occupancy dashboard")

    @task(3)
    def unit(self) -> None:
        if self.ids:
            self.page(f"/programme/units/{random.choice(self.ids)}/", "unit")  # noqa: S311

    @task(1)
    def placements(self) -> None:
        self.page("/api/v1/placements/?page_size=50", "placements API")

    @task(1)
    def home(self) -> None:
        self.page("/", "home")


class FinanceStaff(StaffUser):
    weight = 2
    group = "finance"
    usernames: ClassVar[list[str]] = ["finance_officer", "finance_approver"]

    def _ids(self) -> list[int]:
        return self.api_ids("/api/v1/tranches/?page_size=100")

    @task(3)
    def schedule(self) -> None:
        self.page("/finance/schedule/", "schedule")

    @task(2)
    def tranche(self) -> None:
        if self.ids:
            self.page(f"/finance/tranches/{random.choice(self.ids)}/", "tranche")  # noqa: S311

    @task(2)
    def dashboard(self) -> None:
        self.page("/finance/", "dashboard")

    @task(1)
    def cost(self) -> None:
        self.page("/finance/cost/", "cost report")


# --- Per-group figures ---------------------------------------------------------------------------
# Locust's own table is per request name; the budget is per group of people, so every response
# time is also kept by group and summarised when the run ends (LOAD_REPORT names the JSON file).

_times: dict[str, list[float]] = {}
_failures: dict[str, int] = {}
_started: list[float] = []


@events.test_start.add_listener
def _on_start(**_: object) -> None:
    _started.append(time.monotonic())


@events.spawning_complete.add_listener
def _on_everyone_signed_in(**_: object) -> None:
    # The figures at work are for the steady state, once all users are in: the sign-in rush
    # (each one a deliberate, slow password hash) is measured apart and kept.
    for group in [name for name in _times if name != "sign-in"]:
        del _times[group]
        _failures.pop(group, None)
    _started[:] = [time.monotonic()]


@events.request.add_listener
def _on_request(name: str, response_time: float, exception: object, **_: object) -> None:
    group = name.split(":", 1)[0]
    if name.endswith("sign in") or name.endswith("log-in page"):
        group = "sign-in"
    _times.setdefault(group, []).append(response_time)
    if exception is not None:
        _failures[group] = _failures.get(group, 0) + 1


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@events.test_stop.add_listener
def _on_stop(**_: object) -> None:
    seconds = time.monotonic() - (_started[0] if _started else time.monotonic())
    report = {
        group: {
            "requests": len(times),
            "rps": round(len(times) / seconds, 1) if seconds else 0.0,
            "p50_ms": round(_percentile(times, 0.50)),
            "p95_ms": round(_percentile(times, 0.95)),
            "p99_ms": round(_percentile(times, 0.99)),
            "failures": _failures.get(group, 0),
        }
        for group, times in sorted(_times.items())
    }
    target = os.environ.get("LOAD_REPORT")
    if target:
        Path(target).write_text(json.dumps({"seconds": round(seconds, 1), "groups": report}))
