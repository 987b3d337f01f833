"""A batch's records: one row per run and strategy, written and read back as CSV or JSON Lines."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TextIO

from sim.errors import DealDriftError
from sim.results import RunResult
from sim.stages import ENDING_KEYS

OUTPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl"}


class ResumeError(DealDriftError):
    """Finished rows that cannot be resumed from: damaged, or from another batch."""


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One finished run of one strategy: the flat row written to CSV / JSON Lines."""

    scenario: str
    seed: int
    run: int
    strategy: str
    bookings: int
    quota: int
    won: int
    lost: int
    no_decision: int
    rejected: int
    open: int
    status_quo: int  # of the no-decision deals, those that chose the status quo (the rest withered)
    cycle_days_mean: float | None
    forecast_error: float | None
    trust: float
    pressure_hours: int
    lessons: tuple[tuple[str, int], ...]
    scenario_digest: str

    @property
    def quota_reached(self) -> bool:
        """True when bookings reached the quota."""
        return self.bookings >= self.quota

    @property
    def counts(self) -> dict[str, int]:
        """Deals by ending."""
        return {key: getattr(self, key) for key in ENDING_KEYS}

    def to_dict(self) -> dict[str, Any]:
        """The row as a plain dict in column order (lessons as {lesson key: deals})."""
        data: dict[str, Any] = {}
        for column in COLUMNS:
            data[column] = self.quota_reached if column == "quota_reached" else getattr(self, column)
        data["lessons"] = dict(self.lessons)
        return data

    @classmethod
    def from_result(cls, result: RunResult, run: int, strategy: str, digest: str) -> BatchRow:
        """The row of a finished game."""
        lessons = Counter(deal.lesson_key for deal in result.deals if deal.lesson_key)
        return cls(
            scenario=result.scenario, seed=result.seed, run=run, strategy=strategy, bookings=result.bookings,
            quota=result.quota, **{key: result.counts.get(key, 0) for key in ENDING_KEYS},
            status_quo=sum(deal.ending_reason == "status_quo" for deal in result.deals),
            cycle_days_mean=result.cycle_days_mean, forecast_error=result.forecast_error,
            trust=result.trust, pressure_hours=result.pressure_hours, lessons=tuple(sorted(lessons.items())),
            scenario_digest=digest,
        )


COLUMNS: tuple[str, ...] = (
    "scenario", "seed", "run", "strategy", "bookings", "quota", "quota_reached", *ENDING_KEYS,
    "status_quo", "cycle_days_mean", "forecast_error", "trust", "pressure_hours", "lessons", "scenario_digest",
)


@dataclass(frozen=True, slots=True)
class RunFailure:
    """A run whose strategy raised an error: enough to replay it."""

    scenario: str
    run: int
    seed: int
    strategy: str
    error: str

    def replay(self, source: str | None = None) -> str:
        """The command that plays this run again."""
        return f"dealdrift run {source or self.scenario} --strategy {self.strategy} --seed {self.seed}"

    def to_dict(self) -> dict[str, Any]:
        """The failure as a plain dict."""
        return {"scenario": self.scenario, "run": self.run, "seed": self.seed, "strategy": self.strategy,
                "error": self.error}


# -- row files ------------------------------------------------------------------------------


def output_format(path: str | os.PathLike[str]) -> str:
    """'csv' or 'jsonl' from the file name; raises DealDriftError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise DealDriftError(f"--out {path}: expected a .csv or .jsonl file name.")
    return OUTPUT_FORMATS[suffix]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_line(row: BatchRow) -> str:
    """The row as one CSV line (lessons as key=count;key=count)."""
    cells = []
    for column in COLUMNS:
        if column == "lessons":
            cells.append(";".join(f"{key}={count}" for key, count in row.lessons))
        elif column == "quota_reached":
            cells.append(_csv_cell(row.quota_reached))
        else:
            cells.append(_csv_cell(getattr(row, column)))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def jsonl_line(row: BatchRow) -> str:
    """The row as one JSON Lines line."""
    return json.dumps(row.to_dict(), ensure_ascii=False) + "\n"


class RowWriter:
    """Streams rows to a CSV or JSON Lines file, flushed after each row so none is lost on a stop."""

    def __init__(self, path: str | os.PathLike[str], *, keep: int | None = None, force: bool = False) -> None:
        """Open `path`; `keep` bytes of an existing file are kept (resume), else it must not exist unless `force`."""
        self.path = Path(path)
        self.format = output_format(path)
        try:
            if keep is not None:
                with open(self.path, "ab") as handle:
                    handle.truncate(keep)  # drops a line cut short by a stop
            mode = "a" if keep is not None else "w" if force else "x"
            # The file stays open for the whole batch; close() (or the with-block) ends it.
            self._file: TextIO = open(self.path, mode, encoding="utf-8", newline="")  # noqa: SIM115
        except FileExistsError:
            raise DealDriftError(
                f"{self.path} already exists: add --resume to continue that batch, or --force to overwrite it."
            ) from None
        except OSError as error:
            raise DealDriftError(f"Cannot write {self.path}: {error.strerror or error}.") from None
        self.rows = 0
        if not keep and self.format == "csv":
            self._write(",".join(COLUMNS) + "\n")

    def _write(self, text: str) -> None:
        self._file.write(text)
        self._file.flush()

    def write(self, row: BatchRow) -> None:
        """Append one row and flush it."""
        self._write(csv_line(row) if self.format == "csv" else jsonl_line(row))
        self.rows += 1

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _number(text: str, kind: type, column: str) -> Any:
    if text == "" and kind is float:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{column} is {text!r}, expected {'a whole number' if kind is int else 'a number'}") from None


_INT_COLUMNS = ("seed", "run", "bookings", "quota", *ENDING_KEYS, "status_quo", "pressure_hours")
_FLOAT_COLUMNS = ("cycle_days_mean", "forecast_error", "trust")


def _row_from_cells(cells: dict[str, Any], from_csv: bool) -> BatchRow:
    values: dict[str, Any] = {"scenario": str(cells["scenario"]), "strategy": str(cells["strategy"]),
                              "scenario_digest": str(cells["scenario_digest"])}
    for column in _INT_COLUMNS:
        value = cells[column]
        if from_csv:
            value = _number(value, int, column)
        elif not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{column} is {value!r}, expected a whole number")
        values[column] = value
    for column in _FLOAT_COLUMNS:
        value = cells[column]
        if from_csv:
            value = _number(value, float, column)
        elif value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise ValueError(f"{column} is {value!r}, expected a number")
        values[column] = None if value is None else float(value)
    if values["trust"] is None:
        raise ValueError("trust is empty, expected a number")
    lessons = cells["lessons"]
    if from_csv:
        pairs = [item.partition("=") for item in lessons.split(";") if item]
        lessons = {key: _number(count, int, "lessons") for key, _, count in pairs}
    if not isinstance(lessons, dict) or not all(isinstance(count, int) for count in lessons.values()):
        raise ValueError(f"lessons is {cells['lessons']!r}, expected lesson=count pairs")
    values["lessons"] = tuple(sorted(lessons.items()))
    return BatchRow(**values)


def read_rows(path: str | os.PathLike[str]) -> tuple[list[BatchRow], int]:
    """The rows of a batch output file and how many bytes of it are whole lines; raises ResumeError."""
    target = Path(path)
    fmt = output_format(target)
    try:
        data = target.read_bytes()
    except OSError as error:
        raise ResumeError(f"Cannot read {target}: {error.strerror or error}.") from None
    keep = data.rfind(b"\n") + 1  # a last line without its newline was cut short by a stop: drop it
    try:
        lines = data[:keep].decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise ResumeError(f"{target} is not a batch output file (it is not UTF-8 text).") from None
    rows: list[BatchRow] = []
    if fmt == "csv" and lines:
        header = lines[0].split(",")
        if header != list(COLUMNS):
            raise ResumeError(f"{target} is not a batch output file: its columns are not {','.join(COLUMNS)}.")
    for number, line in enumerate(lines, start=1):
        if fmt == "csv" and number == 1:
            continue
        try:
            if fmt == "csv":
                cells_list = next(csv.reader([line]))
                if len(cells_list) != len(COLUMNS):
                    raise ValueError(f"{len(cells_list)} columns, expected {len(COLUMNS)}")
                rows.append(_row_from_cells(dict(zip(COLUMNS, cells_list)), from_csv=True))
            else:
                cells = json.loads(line)
                if not isinstance(cells, dict) or set(cells) != set(COLUMNS):
                    raise ValueError(f"expected an object with the keys {', '.join(COLUMNS)}")
                rows.append(_row_from_cells(cells, from_csv=False))
        except (ValueError, TypeError, RecursionError) as error:
            raise ResumeError(f"{target}:{number}: not a batch row: {error}.") from None
    return rows, keep
