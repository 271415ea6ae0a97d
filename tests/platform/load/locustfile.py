"""Load on the product: public readers, incubation-base operators and grant reviewers
at the same time, through the real pages and admin forms (CSRF and all).

Run by tests/platform/test_load.py, which creates the accounts and records, writes them to the
JSON plan named by LOAD_PLAN, starts gunicorn and then this file headless. Every
write a user attempts and every one the server confirmed is recorded, and written to
LOAD_RESULTS when locust quits, so that the test can compare them with the database.

- Readers: home, showcase (index and an organization's page), statistics, news.
- Operators: the listings of their base (with a search), record a service activity
  (add form), mark a residency's milestone done (residency edit form with its
  milestones formset), move a residency from 入驻 to 孵化 (stage move form).
- Reviewers: open each assigned review's scoring screen and submit it once; some
  reviews are submitted twice at the same moment (a double click, two tabs): one
  must be taken and the other refused with the "locked" message, never a 500.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.clients import HttpSession

from tests.platform.load.forms import form_fields

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
RESULTS = {
    kind: {"attempted": [], "succeeded": []}
    for kind in ("activities", "milestones", "moves", "reviews")
}
RESULTS["double_submits"] = []
RESULTS["unexpected"] = []
CONFIRM_TOKEN = re.compile(r'name="confirm_token" value="([0-9a-f]+)"')
LOCKED = "已锁定"  # in "该评审为“已提交”，已锁定，任何人都不能修改。"

_accounts = {
    "operators": iter(PLAN["operators"]),
    "reviewers": iter(PLAN["reviewers"]),
}


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    Path(os.environ["LOAD_RESULTS"]).write_text(json.dumps(RESULTS))


def _login(client, username):
    page = client.get("/admin/login/", name="admin: login page")
    data = form_fields(page.text)
    data.update(username=[username], password=[PLAN["password"]])
    with client.post(
        "/admin/login/",
        data=data,
        allow_redirects=False,
        name="admin: log in",
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login of {username} refused ({response.status_code})")


def _expect_redirect(response, what):
    """A form accepted answers with a redirect; anything else is a failure."""
    if response.status_code == 302:
        response.success()
        return True
    RESULTS["unexpected"].append([what, response.status_code, response.text[:2000]])
    response.failure(f"{what}: expected a redirect, got {response.status_code}")
    return False


class PublicReader(HttpUser):
    fixed_count = PLAN["readers"]
    wait_time = between(0.2, 1.0)

    @task(3)
    def home(self):
        self.client.get("/", name="public: home")

    @task(2)
    def showcase(self):
        self.client.get(PLAN["pages"]["showcase"], name="public: showcase")

    @task(2)
    def organization(self):
        url = random.choice(PLAN["pages"]["organizations"])  # noqa: S311
        self.client.get(url, name="public: organization page")

    @task(2)
    def statistics(self):
        self.client.get(PLAN["pages"]["statistics"], name="public: statistics")

    @task(1)
    def news(self):
        self.client.get(PLAN["pages"]["news"], name="public: news")


class Operator(HttpUser):
    fixed_count = len(PLAN["operators"])
    wait_time = between(0.2, 0.8)

    def on_start(self):
        self.account = next(_accounts["operators"])
        self.serial = itertools.count(1)
        self.milestones = list(self.account["milestones"])
        self.moves = list(self.account["residencies"])
        _login(self.client, self.account["username"])

    @task(3)
    def listings(self):
        urls = PLAN["admin"]
        self.client.get(urls["residencies"], name="admin: residencies")
        self.client.get(urls["activities"], name="admin: activities")
        self.client.get(
            urls["organizations"], params={"q": "社会工作"}, name="admin: organizations"
        )

    @task(2)
    def record_activity(self):
        add = PLAN["admin"]["activity_add"]
        page = self.client.get(add, name="admin: activity add form")
        data = form_fields(page.text, "w-editor-form")
        topic = f"压力测试培训 {self.account['username']}-{next(self.serial)}"
        data.update(
            base=[str(self.account["base"])],
            kind=["training"],
            held_on=[PLAN["today"]],
            hours=["2.5"],
            topic=[topic],
            speaker=["省社会组织服务中心"],
            participants=[str(r) for r in self.account["residencies"]],
        )
        RESULTS["activities"]["attempted"].append(topic)
        with self.client.post(
            add,
            data=data,
            allow_redirects=False,
            name="admin: record activity",
            catch_response=True,
        ) as response:
            if _expect_redirect(response, "record activity"):
                RESULTS["activities"]["succeeded"].append(topic)

    @task(2)
    def milestone_done(self):
        if not self.milestones:
            return self.listings()
        residency, milestone = self.milestones.pop(0)
        edit = PLAN["admin"]["residency_edit"].format(pk=residency)
        page = self.client.get(edit, name="admin: residency edit form")
        data = form_fields(page.text, "w-editor-form")
        index = next(
            key.split("-")[1]
            for key, values in data.items()
            if key.startswith("milestones-")
            and key.endswith("-id")
            and values == [str(milestone)]
        )
        data[f"milestones-{index}-done_on"] = [PLAN["today"]]
        data[f"milestones-{index}-note"] = ["压力测试中完成"]
        RESULTS["milestones"]["attempted"].append(milestone)
        with self.client.post(
            edit,
            data=data,
            allow_redirects=False,
            name="admin: milestone done",
            catch_response=True,
        ) as response:
            if _expect_redirect(response, "milestone done"):
                RESULTS["milestones"]["succeeded"].append(milestone)

    @task(1)
    def move_stage(self):
        if not self.moves:
            return self.listings()
        residency = self.moves.pop(0)
        move = PLAN["admin"]["residency_move"].format(pk=residency)
        page = self.client.get(move, name="admin: stage move form")
        data = form_fields(page.text)
        data.update(
            to_stage=["incubating"], moved_on=[PLAN["today"]], note=["压力测试"]
        )
        RESULTS["moves"]["attempted"].append(residency)
        with self.client.post(
            move,
            data=data,
            allow_redirects=False,
            name="admin: move stage",
            catch_response=True,
        ) as response:
            if _expect_redirect(response, "move stage"):
                RESULTS["moves"]["succeeded"].append(residency)


class Reviewer(HttpUser):
    fixed_count = len(PLAN["reviewers"])
    wait_time = between(0.2, 0.8)

    def on_start(self):
        self.account = next(_accounts["reviewers"])
        self.pending = list(self.account["reviews"])
        _login(self.client, self.account["username"])

    @task
    def review(self):
        """Score and submit every assigned review, one after the other, then look at
        the list now and then. One task, so that a reviewer who started always
        finishes (locust lets a running task end: --stop-timeout)."""
        while self.pending:
            self._review(self.pending.pop(0))
            gevent.sleep(random.uniform(0.1, 0.4))  # noqa: S311
        self.client.get(PLAN["admin"]["my_reviews"], name="admin: my reviews")

    def _review(self, review):
        url = PLAN["admin"]["review"].format(pk=review["pk"])
        page = self.client.get(url, name="admin: scoring screen")
        data = form_fields(page.text, "scoring-form")
        for criterion, score in review["scores"].items():
            data[f"score_{criterion}"] = [str(score)]
            data[f"comment_{criterion}"] = ["方案具体，预算合理。"]
        data.update(recommendation=["fund"], comment=["建议资助。"], action=["submit"])
        RESULTS["reviews"]["attempted"].append(review["pk"])
        # Submitting asks first (total and recommendation); "yes" posts the
        # confirmation page's token with the same scores.
        with self.client.post(
            url, data=data, name="admin: review confirmation", catch_response=True
        ) as response:
            token = CONFIRM_TOKEN.search(response.text)
            if token is None:
                response.failure("admin: review confirmation: no confirmation page")
                return
        data["confirm_token"] = [token.group(1)]
        if review["double"]:
            self._submit_twice(url, data, review["pk"])
        else:
            outcome = self._submit(self.client, url, data, "admin: submit review")
            if outcome == "submitted":
                RESULTS["reviews"]["succeeded"].append(review["pk"])

    def _submit(self, client, url, data, name):
        with client.post(
            url, data=data, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if response.status_code == 302:
                return "submitted"
            if response.status_code == 400 and LOCKED in response.text:
                response.success()  # refused cleanly: already submitted
                return "refused"
            _expect_redirect(response, name)
            return f"error {response.status_code}"

    def _submit_twice(self, url, data, pk):
        """Two submissions of the same review at the same moment, from two
        connections of the same logged-in reviewer."""
        other = HttpSession(
            base_url=self.host,
            request_event=self.environment.events.request,
            user=self,
        )
        other.cookies.update(self.client.cookies)
        jobs = [
            gevent.spawn(self._submit, session, url, data, "admin: submit review twice")
            for session in (self.client, other)
        ]
        gevent.joinall(jobs)
        outcomes = [job.value for job in jobs]
        RESULTS["double_submits"].append({"review": pk, "outcomes": outcomes})
        RESULTS["reviews"]["succeeded"].extend([pk] * outcomes.count("submitted"))
