"""The course manifest: course/course.toml (topic order) and course/<topic>.toml per topic."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from grader.errors import ManifestError
from grader.paths import course_root

DEFAULT_TIMEOUT = 10.0  # seconds per call into student code
DEFAULT_BUDGET = 120.0  # seconds of student code per topic and submission


@dataclass(frozen=True)
class Exercise:
    """One gradable exercise.

    topic: the topic (module) it belongs to; name: the catalog name (function or class);
    points: its share of the topic; timeout: wall-clock seconds allowed per call;
    forbidden: dotted names the student's code must not call while this exercise runs.
    """

    topic: str
    name: str
    points: float
    timeout: float = DEFAULT_TIMEOUT
    forbidden: tuple[str, ...] = ()

    @property
    def task_id(self) -> str:
        """The id that runs through stubs, test markers and the CLI: "topic.name"."""
        return f"{self.topic}.{self.name}"


@dataclass(frozen=True)
class Topic:
    """A topic: one module in solutions/ and exercises/, one hidden and one public suite."""

    name: str
    title: str
    title_ko: str
    summary: str
    exercises: tuple[Exercise, ...]
    budget: float = DEFAULT_BUDGET
    kind: str = "code"  # "code" or "plot"
    quiz: tuple[dict, ...] = field(default=(), compare=False)
    student_bundle: bool = False  # a release for students: the quiz has no answers here

    @property
    def points(self) -> float:
        return sum(e.points for e in self.exercises)

    def exercise(self, name: str) -> Exercise:
        for ex in self.exercises:
            if ex.name == name:
                return ex
        raise ManifestError(f"topic {self.name!r} has no exercise {name!r}")

    @property
    def forbidden(self) -> tuple[str, ...]:
        """Every forbidden name of the topic, each once, in order."""
        return tuple(dict.fromkeys(f for e in self.exercises for f in e.forbidden))


@dataclass(frozen=True)
class Course:
    """The course: its topics in order. `student_bundle`: this is a `grade release` bundle
    (no solutions, hidden tests or quiz answers; `grade submit` goes to a server)."""

    title: str
    topics: tuple[Topic, ...]
    student_bundle: bool = False

    def topic(self, name: str) -> Topic:
        for t in self.topics:
            if t.name == name:
                return t
        known = ", ".join(t.name for t in self.topics)
        raise ManifestError(f"unknown topic {name!r}; the topics are: {known}")

    def select(self, names: tuple[str, ...] | list[str] = ()) -> tuple[Topic, ...]:
        """The named topics in course order, or all of them when `names` is empty."""
        if not names:
            return self.topics
        wanted = {self.topic(n.split(".", 1)[0] if self.is_task_id(n) else n).name for n in names}
        return tuple(t for t in self.topics if t.name in wanted)

    def task_ids(self) -> list[str]:
        return [f"{t.name}.{e.name}" for t in self.topics for e in t.exercises]

    def is_task_id(self, name: str) -> bool:
        """True for "topic.exercise" (a topic name alone has no dot)."""
        return "." in name

    def split_names(self, names) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(topics, task ids) of command-line names that are topics or task ids
        ("convolution", "convolution.conv2d"); an unknown name is a ManifestError that lists
        the close matches."""
        import difflib

        known = self.task_ids()
        topics, tasks = [], []
        for name in names:
            if not self.is_task_id(name):
                topics.append(self.topic(name).name)
            elif name in known:
                tasks.append(name)
            else:
                close = difflib.get_close_matches(name, known, n=4, cutoff=0.5)
                hint = f"; did you mean {', '.join(close)}?" if close else "; `grade list` shows them"
                raise ManifestError(f"unknown task id {name!r}{hint}")
        return tuple(topics), tuple(tasks)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"manifest file {path} is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: {exc}") from None


def _require(data: dict, key: str, where: Path):
    if key not in data:
        raise ManifestError(f"{where}: missing key {key!r}")
    return data[key]


def _exercise(topic: str, raw: dict, defaults: dict, where: Path) -> Exercise:
    points = float(_require(raw, "points", where))
    if points < 0:
        raise ManifestError(f"{where}: exercise {raw.get('name')!r} has negative points")
    return Exercise(
        topic=topic,
        name=str(_require(raw, "name", where)),
        points=points,
        timeout=float(raw.get("timeout", defaults.get("timeout", DEFAULT_TIMEOUT))),
        forbidden=tuple(dict.fromkeys([*defaults.get("forbidden", ()), *raw.get("forbidden", ())])),
    )


def load_topic(path: Path, student_bundle: bool = False) -> Topic:
    data = _read_toml(path)
    name = path.stem
    defaults = data.get("defaults", {})
    exercises = tuple(_exercise(name, raw, defaults, path) for raw in data.get("exercises", ()))
    if not exercises:
        raise ManifestError(f"{path}: a topic needs at least one [[exercises]] entry")
    return Topic(
        name=name,
        title=str(_require(data, "title", path)),
        title_ko=str(data.get("title_ko", "")),
        summary=str(data.get("summary", "")),
        exercises=exercises,
        budget=float(defaults.get("budget", DEFAULT_BUDGET)),
        kind=str(data.get("kind", "code")),
        quiz=tuple(data.get("quiz", ())),
        student_bundle=student_bundle,
    )


def load_course(root: Path | None = None) -> Course:
    """Read the manifest of the course at `root` (default: the installed course)."""
    return _load_course(Path(root or course_root()).resolve())


@lru_cache(maxsize=4)
def _load_course(root: Path) -> Course:
    cdir = root / "course"
    data = _read_toml(cdir / "course.toml")
    names = _require(data, "topics", cdir / "course.toml")
    bundle = bool(data.get("student_bundle", False))
    topics = tuple(load_topic(cdir / f"{n}.toml", bundle) for n in names)
    return Course(title=str(data.get("title", "")), topics=topics, student_bundle=bundle)
