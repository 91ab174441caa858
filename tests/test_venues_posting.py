"""Posting to a GitHub stand-in on 127.0.0.1: each kind of post, never twice (an earlier post is
found by its marker, before posting and after a lost answer), every refusal in one line naming
the cause and what to do, and the token never following a redirect or a Link elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pendulum
import pytest

from tests.github_posting_fake import LOGIN, TOKEN, FakeGitHubApi
from tests.net_fakes import serving
from tvm_vote_tui.domain.thread_ref import GitHubApi, IssueRef, parse_repo
from tvm_vote_tui.venues.github_post import GitHubPoster, PostError
from tvm_vote_tui.venues.token import Token

REPO = parse_repo("apache/tvm")
MARK = "<!-- tvm-vote-tui session=5e55101d step={} -->"


@pytest.fixture
def fake() -> Iterator[FakeGitHubApi]:
    with FakeGitHubApi() as api:
        yield api


def poster(fake: FakeGitHubApi, **kwargs: object) -> GitHubPoster:
    clock = lambda: pendulum.datetime(2026, 11, 24, 17, 0, tz="UTC")  # noqa: E731
    return GitHubPoster(GitHubApi.parse(fake.url), Token(TOKEN, "GITHUB_TOKEN"), clock=clock, **kwargs)  # type: ignore[arg-type]


def issue(fake: FakeGitHubApi, step: str = "vote", body: str = "Dear all") -> object:
    marker = MARK.format(step)
    return poster(fake).create_issue(REPO, step, f"[{step}] title", f"{body}\n\n{marker}\n", marker)


def vote_issue(fake: FakeGitHubApi) -> IssueRef:
    number = fake.add_issue("apache/tvm", "[VOTE] x", "vote", LOGIN)["number"]
    return REPO.issue(number, GitHubApi.parse(fake.url).web_host, "http")


# -- posting, once --------------------------------------------------------------------------------


def test_a_new_issue_is_posted_with_the_token_and_recorded_where_the_api_serves_it(
    fake: FakeGitHubApi,
) -> None:
    posted = issue(fake)
    [post] = fake.posts()
    assert post.path == "/repos/apache/tvm/issues" and post.headers["Authorization"] == f"Bearer {TOKEN}"
    assert post.json == {"title": "[vote] title", "body": f"Dear all\n\n{MARK.format('vote')}\n"}
    assert post.headers["Content-Type"] == "application/json; charset=utf-8"
    assert posted.url == f"{fake.url}/apache/tvm/issues/18000" and posted.number == 18000  # type: ignore[attr-defined]
    assert not posted.found  # type: ignore[attr-defined]
    # Not where the answer's html_url says (github.com): where the API the manager named serves it.
    assert fake.issue(18000)["html_url"].startswith("https://github.com/")


def test_an_issue_posted_earlier_is_found_by_its_marker_and_not_posted_again(fake: FakeGitHubApi) -> None:
    first = issue(fake)
    again = issue(fake)
    assert again.found and again.url == first.url and again.at == first.at  # type: ignore[attr-defined]
    assert len(fake.posts()) == 1 and len(fake.issues) == 1
    looked = [s for s in fake.requests if s.method == "GET" and s.path == "/repos/apache/tvm/issues"]
    assert looked  # among the account's own issues
    assert issue(fake, "result-issue").found is False and len(fake.issues) == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("fault", ["drop_after", "error_after"])
def test_a_lost_answer_is_looked_for_and_the_post_found_is_recorded_not_posted_again(
    fake: FakeGitHubApi, fault: str
) -> None:
    fake.fail("POST", r"/issues$", fault)
    posted = issue(fake)
    assert posted.found and posted.number == 18000  # type: ignore[attr-defined]
    assert len(fake.posts()) == 1 and len(fake.issues) == 1


def test_a_lost_answer_for_a_post_that_was_not_made_says_so(fake: FakeGitHubApi) -> None:
    fake.fail("POST", r"/issues$", "drop_before")
    with pytest.raises(PostError) as refused:
        issue(fake)
    assert "and the post is not on apache/tvm: it was not made; nothing recorded, try again" in str(
        refused.value
    )
    assert fake.issues == {}
    assert issue(fake).found is False and len(fake.issues) == 1  # type: ignore[attr-defined]


def test_a_lost_answer_that_cannot_be_looked_for_says_it_may_have_been_posted(fake: FakeGitHubApi) -> None:
    fake.fail("POST", r"/issues$", "drop_after")
    fake.fail("GET", r"/repos/apache/tvm/issues$", "answer", 503, {"message": "Unavailable"}, after=1)
    with pytest.raises(PostError) as refused:
        issue(fake)
    said = str(refused.value)
    assert "looking for it failed too" in said and "it may or may not have been posted on apache/tvm" in said
    assert "it looks for this post first, so it is never posted twice" in said
    # The next try finds it: one issue, posted once.
    assert issue(fake).found and len(fake.issues) == 1 and len(fake.posts()) == 1  # type: ignore[attr-defined]


def test_a_comment_is_found_by_marker_only_among_the_accounts_own(fake: FakeGitHubApi) -> None:
    ref = vote_issue(fake)
    marker = MARK.format("link-comment")
    fake.add_comment(ref.number, "mallory", f"copied {marker}")  # anyone can copy a marker
    first = poster(fake).comment(ref, "link-comment", f"The result\n\n{marker}\n", marker)
    assert not first.found and first.url.startswith(f"{ref.url}#issuecomment-")
    fake.fail("POST", r"/comments$", "drop_after")
    again = poster(fake).comment(ref, "link-comment", f"The result\n\n{marker}\n", marker)
    assert again.found and again.url == first.url and len(fake.posts()) == 1


def test_closing_an_issue_already_closed_sends_nothing(fake: FakeGitHubApi) -> None:
    ref = vote_issue(fake)
    closed = poster(fake).close_issue(ref)
    [patch] = fake.posts()
    assert patch.method == "PATCH" and patch.json == {"state": "closed", "state_reason": "completed"}
    assert closed.url == ref.url and not closed.found and fake.issue(ref.number)["state"] == "closed"
    assert poster(fake).close_issue(ref).found and len(fake.posts()) == 1
    other = vote_issue(fake)
    fake.fail("PATCH", r"/issues/\d+$", "drop_after")
    assert poster(fake).close_issue(other).found and fake.issue(other.number)["state"] == "closed"


# -- what goes wrong, in one line -----------------------------------------------------------------


def test_no_token_is_one_line_naming_the_permission_before_anything_is_sent(fake: FakeGitHubApi) -> None:
    with pytest.raises(PostError) as refused:
        GitHubPoster(GitHubApi.parse(fake.url), None, repo=REPO)
    assert str(refused.value) == (
        "posting to GitHub needs a token: set GITHUB_TOKEN (or GH_TOKEN) to one that may write issues on "
        'apache/tvm (a fine-grained token needs the "Issues: write" permission on apache/tvm, a classic '
        "token the public_repo scope (repo for a private repository)); nothing posted"
    )
    assert fake.requests == []


@pytest.mark.parametrize(
    ("status", "body", "headers", "said"),
    [
        (
            401,
            {"message": "Bad credentials"},
            {},
            "GitHub refused the token (401: Bad credentials): check $GITHUB_TOKEN, or make a new one",
        ),
        (
            403,
            {"message": "Resource not accessible by personal access token"},
            {"X-Accepted-GitHub-Permissions": "issues=write"},
            "the token may not write issues on apache/tvm (403: Resource not accessible by personal "
            'access token) (GitHub asks for issues=write): a fine-grained token needs the "Issues: write"',
        ),
        (
            404,
            {"message": "Not Found"},
            {},
            "apache/tvm not found on 127.0.0.1:",
        ),
        (
            410,
            {"message": "Issues are disabled for this repo"},
            {},
            "issues are turned off on apache/tvm (410 Gone)",
        ),
        (
            422,
            {
                "message": "Validation Failed",
                "errors": [
                    {
                        "resource": "Issue",
                        "field": "title",
                        "code": "custom",
                        "message": "title\x1b[2J is too long",
                    }
                ],
            },
            {},
            "GitHub refused the issue (422: Validation Failed; title␛[2J is too long); nothing posted",
        ),
        (
            403,
            {"message": "API rate limit exceeded for user ID 1."},
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "5000", "X-RateLimit-Reset": "1795539900"},
            "GitHub's rate limit is used up (5,000 requests an hour); it resets at 17:05 UTC, in 5 minutes; "
            "nothing posted",
        ),
        (
            429,
            {"message": "You have exceeded a secondary rate limit."},
            {"Retry-After": "60"},
            "GitHub's rate limit is used up; try again in 60 seconds; nothing posted",
        ),
    ],
)
def test_each_refusal_is_one_line_naming_the_cause_and_nothing_is_posted(
    fake: FakeGitHubApi, status: int, body: object, headers: dict[str, str], said: str
) -> None:
    fake.fail("POST", r"/issues$", "answer", status, body, headers)
    with pytest.raises(PostError) as refused:
        issue(fake)
    text = str(refused.value)
    assert said in text and "\n" not in text and text.endswith("nothing posted")
    assert fake.issues == {}


def test_the_network_down_is_one_line_and_nothing_is_posted() -> None:
    with serving() as gone:
        url = gone.url
    gh = GitHubPoster(GitHubApi.parse(url), Token(TOKEN, "GITHUB_TOKEN"), timeout=2)
    with pytest.raises(PostError) as refused:
        gh.create_issue(REPO, "vote", "t", "b", MARK.format("vote"))
    assert str(refused.value).startswith("cannot reach 127.0.0.1") and str(refused.value).endswith(
        "no network?; nothing posted"
    )


def test_a_redirect_answering_a_post_is_not_followed_and_takes_no_token(fake: FakeGitHubApi) -> None:
    with serving() as elsewhere:
        fake.fail(
            "POST", r"/issues$", "answer", 307, None, {"Location": f"http://localhost:{elsewhere.port}/x"}
        )
        with pytest.raises(PostError) as refused:
            issue(fake)
    assert (
        "answered 307, a redirect to localhost: not followed (a post, and the token, go only to your API)"
        in (str(refused.value))
    )
    assert elsewhere.seen == [] and fake.issues == {}


def test_a_look_up_redirected_elsewhere_goes_without_the_token_and_proves_nothing(
    fake: FakeGitHubApi,
) -> None:
    with serving(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]") as elsewhere:
        fake.fail(
            "GET", r"/issues$", "answer", 302, None, {"Location": f"http://localhost:{elsewhere.port}/x"}
        )
        with pytest.raises(PostError) as refused:
            issue(fake)
    assert "sent the look-up for apache/tvm on to localhost" in str(refused.value)
    assert [s.headers.get("Authorization") for s in elsewhere.seen] == [None]
    assert fake.posts() == []


def test_a_next_page_on_another_host_is_never_read_nor_sent_the_token(fake: FakeGitHubApi) -> None:
    fake.page_size = 2
    for n in range(3):
        fake.add_issue("apache/tvm", f"old {n}", "no marker here", LOGIN)
    with serving() as elsewhere:
        fake.link_origin = f"http://localhost:{elsewhere.port}"
        with pytest.raises(PostError) as refused:
            issue(fake)
    assert "sent a next page on another host (localhost:" in str(refused.value)
    assert str(refused.value).endswith("nothing posted")
    assert elsewhere.seen == [] and fake.posts() == []
