"""JupyterHub: the nbgitpuller link that puts the course's notebooks into a student's home.

    rnn-course hub-link --hub https://hub.example.edu --repository https://github.com/ORG/rnn-course

On first click nbgitpuller clones the repository into the student's (persistent) home, as a
folder named after the repository, and opens the lesson; on later clicks it merges the course's
updates without overwriting what the student changed. The package (rnn_utils) comes from the
hub's image, installed there without -e (postBuild), so the home mounted over the image's
folder hides nothing the notebooks import.
"""

from urllib.parse import quote, urlencode, urlsplit

from rnn_course.errors import RnnCourseError


class LinkError(RnnCourseError, ValueError):
    """A URL the link cannot be made of."""


def hub_link(hub: str, repository: str, branch: str = "main", lesson: str = "01_rnn_cell_forward",
             classic: bool = False) -> str:
    """The nbgitpuller link for ``repository`` (a git URL) on the hub at ``hub`` (its URL)."""
    for name, url in (("--hub", hub), ("--repository", repository)):
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise LinkError(f"{name} must be an http(s) URL, got {url!r}")
    folder = urlsplit(repository).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    notebook = f"{folder}/notebooks/{lesson.removesuffix('.ipynb')}.ipynb"
    urlpath = f"tree/{notebook}" if classic else f"lab/tree/{notebook}"
    query = urlencode({"repo": repository, "branch": branch, "urlpath": urlpath},
                      quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
