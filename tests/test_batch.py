"""Batches: paired seeds, exact and order-free statistics, streaming rows, resume, failures, CLI."""

from __future__ import annotations

import csv
import json
import math
import random
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.batch.run import BatchRow, InlineExecutor, ResumeError, run_batch, run_batches, run_seed
from sim.batch.output import ProgressBar
from sim.batch.statistics import paired_values
from sim.batch.rows import COLUMNS, RowWriter, read_rows
from sim.commands.main import main
from sim.errors import DealDriftError, StrategyError
from sim.scenario.loader import load_scenario
from sim.batch.statistics import Moments, mean_ci, t_critical
from sim.strategies import play

STRATEGY_FIXTURES = Path(__file__).parent / "fixtures" / "strategies"
SCENARIO = "tutorial"


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(SCENARIO)


@pytest.fixture
def user_strategies(monkeypatch):
    """Run from the folder holding the example strategies, as a user would."""
    monkeypatch.chdir(STRATEGY_FIXTURES)
    monkeypatch.syspath_prepend(str(STRATEGY_FIXTURES))


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- statistics ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.7062047362), (2, 4.3026527297), (4, 2.7764451052), (10, 2.2281388520), (30, 2.0422724563),
     (120, 1.9799304050), (1000, 1.9623390808), (5000, 1.9604385517)],
)
def test_t_critical_matches_tables(df, expected):
    assert t_critical(df) == pytest.approx(expected, abs=1e-8)


def test_the_large_df_expansion_agrees_with_the_exact_series(monkeypatch):
    expansion = [t_critical(df) for df in (1001, 5000)]
    monkeypatch.setattr("sim.batch.statistics.EXACT_SERIES_MAX_DF", 10**6)
    t_critical.cache_clear()
    try:
        assert [t_critical(df) for df in (1001, 5000)] == pytest.approx(expansion, abs=1e-11)
    finally:
        t_critical.cache_clear()


def test_t_critical_is_continuous_where_the_method_changes():
    assert t_critical(1000) > t_critical(1001) > t_critical(1002) > 1.959963984540054
    assert t_critical(1001) == pytest.approx(t_critical(1000), abs=1e-5)
    assert t_critical(5, 0.99) == pytest.approx(4.0321429836, abs=1e-8)


def _coverage(draw, true_mean: float, size: int, trials: int = 2000) -> float:
    hits = 0
    for _ in range(trials):
        _mean, (low, high) = mean_ci([draw() for _ in range(size)])
        hits += low <= true_mean <= high
    return hits / trials


def test_ci_covers_the_mean_of_small_normal_samples_95_percent_of_the_time():
    rng = random.Random(20240601)
    coverage = _coverage(lambda: rng.gauss(10.0, 3.0), 10.0, size=5)
    assert 0.93 <= coverage <= 0.97
    # With five samples a normal-quantile interval (1.96) would cover only about 88%: the t value matters.
    assert t_critical(4) > 2.7


def test_ci_covers_the_mean_of_exponential_samples_about_95_percent_of_the_time():
    rng = random.Random(7)
    coverage = _coverage(lambda: rng.expovariate(0.5), 2.0, size=100)
    assert 0.92 <= coverage <= 0.98


def test_moments_agree_with_the_statistics_module():
    values = [3, 1.5, 8.25, -2, 7, 7, 0.1]
    moments = Moments()
    moments.extend(values)
    assert moments.mean == pytest.approx(statistics.fmean(values), rel=1e-15)
    assert moments.stdev == pytest.approx(statistics.stdev(values), rel=1e-12)
    low, high = moments.ci()
    half = t_critical(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    assert (low, high) == pytest.approx((statistics.fmean(values) - half, statistics.fmean(values) + half))


def test_a_single_value_has_a_mean_but_no_interval():
    moments = Moments()
    moments.add(5)
    assert moments.mean == 5.0 and moments.ci() is None and moments.stdev is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=2, max_size=40), st.randoms())
def test_moments_do_not_depend_on_the_order_of_values(values, rng):
    first, second = Moments(), Moments()
    first.extend(values)
    shuffled = list(values)
    rng.shuffle(shuffled)
    second.extend(shuffled)
    assert (first.mean, first.variance, first.ci()) == (second.mean, second.variance, second.ci())


# -- paired runs and determinism -----------------------------------------------------------------


def test_run_i_of_every_strategy_plays_the_same_world(tutorial):
    rows: list[BatchRow] = []
    run_batch(tutorial, ["idle", "typical", "advisor"], runs=6, seed=11, on_row=rows.append)
    by_run: dict[int, set[int]] = {}
    for row in rows:
        by_run.setdefault(row.run, set()).add(row.seed)
    assert sorted(by_run) == list(range(6))
    assert all(seeds == {run_seed(11, run)} for run, seeds in by_run.items())
    assert len({run_seed(11, run) for run in range(6)}) == 6
    assert run_seed(11, 0) != run_seed(12, 0)


def test_a_row_is_what_dealdrift_run_plays_with_that_seed(tutorial):
    rows: list[BatchRow] = []
    run_batch(tutorial, ["typical", "advisor"], runs=4, seed=3, on_row=rows.append)
    for row in rows:
        result = play(tutorial, row.strategy, row.seed)
        assert (row.bookings, row.counts, row.trust) == (result.bookings, result.counts, result.trust)


def test_numbers_are_identical_whatever_the_number_of_jobs(tutorial):
    one = run_batch(tutorial, ["idle", "typical", "advisor"], runs=40, seed=5, jobs=1)
    two = run_batch(tutorial, ["idle", "typical", "advisor"], runs=40, seed=5, jobs=2)
    threads = run_batch(tutorial, ["idle", "typical", "advisor"], runs=40, seed=5,
                        executor=ThreadPoolExecutor(3), jobs=3)
    assert one.to_dict() == two.to_dict() == threads.to_dict()
    assert one.to_dict() == run_batch(tutorial, ["idle", "typical", "advisor"], runs=40, seed=5).to_dict()
    assert one.to_dict() != run_batch(tutorial, ["idle", "typical", "advisor"], runs=40, seed=6).to_dict()


def test_the_summary_matches_the_rows(tutorial):
    rows: list[BatchRow] = []
    summary = run_batch(tutorial, ["typical", "advisor"], runs=25, seed=2, on_row=rows.append)
    for name in ("typical", "advisor"):
        mine = sorted((row for row in rows if row.strategy == name), key=lambda row: row.run)
        result = summary.strategies[name]
        assert result.runs == 25
        assert result.bookings_mean == pytest.approx(statistics.fmean(row.bookings for row in mine))
        assert result.quota_share == sum(row.quota_reached for row in mine) / 25
        deals = sum(sum(row.counts.values()) for row in mine)
        assert result.rates["won"] == sum(row.won for row in mine) / deals
        assert sum(result.rates.values()) == pytest.approx(1.0)
        assert result.trust_mean == pytest.approx(statistics.fmean(row.trust for row in mine))
    baseline = {row.run: row.bookings for row in rows if row.strategy == "typical"}
    diffs = [row.bookings - baseline[row.run] for row in rows if row.strategy == "advisor"]
    pair = summary.paired["advisor-typical"]
    assert pair.bookings_diff_mean == pytest.approx(statistics.fmean(diffs))
    assert pair.ci95 == pytest.approx(mean_ci(diffs)[1])
    assert pair.excludes_zero == (pair.ci95[0] > 0 or pair.ci95[1] < 0)


def test_advisor_books_more_than_pushing_on_the_same_worlds(tutorial):
    summary = run_batch(tutorial, ["pusher", "advisor"], runs=60, seed=1)
    pair = summary.paired["advisor-pusher"]
    assert pair.excludes_zero and pair.ci95[0] > 0


def test_strategies_and_arguments_are_checked_before_any_run(tutorial):
    with pytest.raises(StrategyError, match="Unknown strategy 'advisr'"):
        run_batch(tutorial, ["advisr"], runs=2)
    with pytest.raises(DealDriftError, match="more than once"):
        run_batch(tutorial, ["idle", "idle"], runs=2)
    with pytest.raises(DealDriftError, match="at least 1"):
        run_batch(tutorial, ["idle"], runs=0)


# -- user strategies and failures ------------------------------------------------------------


def test_a_user_strategy_runs_through_the_batch(user_strategies, capsys):
    code, out, err = cli(capsys, "batch", SCENARIO, "--strategy", "typical", "--strategy",
                         "my_strategy:MyStrategy", "--runs", "12", "--jobs", "2", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["strategies"]["my_strategy:MyStrategy"]["runs"] == 12
    assert "my_strategy:MyStrategy-typical" in report["paired"]


def test_the_readme_example_strategy_is_the_fixture():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    fixture = (STRATEGY_FIXTURES / "my_strategy.py").read_text(encoding="utf-8")
    code = fixture[fixture.index("from sim import Strategy"):]
    assert code in readme


def test_a_failing_strategy_is_reported_with_its_seed_and_the_rest_is_kept(user_strategies, capsys, tmp_path):
    out_file = tmp_path / "rows.csv"
    runs = 30
    failing = [run for run in range(runs) if run_seed(0, run) % 3 == 0]
    assert failing, "the fixture must fail on some of these runs"
    code, out, err = cli(capsys, "batch", SCENARIO, "-s", "idle", "-s", "broken_strategies:Flaky", "--runs",
                         str(runs), "--jobs", "2", "--json", "--out", str(out_file))
    assert code == 1
    report = json.loads(out)
    flaky = report["strategies"]["broken_strategies:Flaky"]
    assert (flaky["runs"], flaky["failed"]) == (runs - len(failing), len(failing))
    assert report["strategies"]["idle"]["runs"] == runs
    assert report["paired"]["broken_strategies:Flaky-idle"]["runs"] == runs - len(failing)
    assert [failure["run"] for failure in report["failures"]] == failing
    first = report["failures"][0]
    assert first["seed"] == run_seed(0, first["run"])
    assert "ValueError: flaky strategy gave up" in first["error"] and "broken_strategies.py" in first["error"]
    replay = f"dealdrift run {SCENARIO} --strategy broken_strategies:Flaky --seed {first['seed']}"
    assert replay in err
    assert "Traceback" not in err
    with open(out_file, newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 2 * runs - len(failing)
    # The replay command reproduces the failure.
    code, _out, err = cli(capsys, *replay.split()[1:])
    assert code == 1 and "flaky strategy gave up" in err


def test_a_strategy_that_exits_its_process_is_a_failed_run_not_a_dead_batch(user_strategies):
    for jobs in (1, 2):
        summary = run_batch(SCENARIO, ["idle", "broken_strategies:Quits"], runs=4, jobs=jobs)
        assert summary.failed == 4 and summary.strategies["idle"].runs == 4
        assert summary.failures[0].error.startswith("SystemExit: 3")


def test_a_worker_process_that_dies_stops_the_batch_with_a_message(user_strategies, capsys, tmp_path):
    out_file = tmp_path / "rows.csv"
    code, out, err = cli(capsys, "batch", SCENARIO, "-s", "idle", "-s", "broken_strategies:Dies", "--runs", "40",
                         "--jobs", "2", "--out", str(out_file))
    assert code == 1 and out == ""
    assert "A worker process stopped unexpectedly" in err and "Traceback" not in err
    assert out_file.read_text().startswith("scenario,seed,run,")


# -- output files ------------------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_run_and_strategy(capsys, tmp_path):
    out_file = tmp_path / "batch.csv"
    code, out, err = cli(capsys, "batch", SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "5", "--jobs", "1",
                         "--out", str(out_file))
    assert code == 0, err
    with open(out_file, newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == COLUMNS
        rows = list(reader)
    assert len(rows) == 10
    assert [(row["run"], row["strategy"]) for row in rows] == [
        (str(run), name) for run in range(5) for name in ("idle", "advisor")]
    row = rows[1]
    assert row["scenario"] == "tutorial" and int(row["seed"]) == run_seed(0, int(row["run"]))
    result = play(load_scenario(SCENARIO), "advisor", int(row["seed"]))
    assert int(row["bookings"]) == result.bookings and int(row["won"]) == result.counts["won"]
    assert row["quota_reached"] == ("true" if result.quota_reached else "false")
    assert float(row["trust"]) == result.trust
    assert "advisor" in out and "Paired difference" in out


def test_jsonl_rows_read_back_exactly(tmp_path, tutorial):
    out_file = tmp_path / "batch.jsonl"
    rows: list[BatchRow] = []
    with RowWriter(out_file) as writer:
        run_batch(tutorial, ["typical", "advisor"], runs=5, on_row=lambda row: (rows.append(row), writer.write(row)))
    lines = out_file.read_text().splitlines()
    assert len(lines) == 10 and set(json.loads(lines[0])) == set(COLUMNS)
    read, keep = read_rows(out_file)
    assert read == rows and keep == out_file.stat().st_size


def test_an_existing_out_file_is_not_overwritten_without_force(capsys, tmp_path):
    out_file = tmp_path / "batch.csv"
    out_file.write_text("precious\n")
    code, _out, err = cli(capsys, "batch", SCENARIO, "-s", "idle", "--runs", "2", "--out", str(out_file))
    assert code == 1 and "already exists" in err and "--resume" in err
    assert out_file.read_text() == "precious\n"
    code, _out, _err = cli(capsys, "batch", SCENARIO, "-s", "idle", "--runs", "2", "--out", str(out_file), "--force")
    assert code == 0 and out_file.read_text().startswith("scenario,seed,run,")


# -- interrupt and resume ------------------------------------------------------------------------


def _stop_after(rows_before_stop: int, writer: RowWriter):
    seen = []

    def on_row(row: BatchRow) -> None:
        writer.write(row)
        seen.append(row)
        if len(seen) == rows_before_stop:
            raise KeyboardInterrupt

    return on_row


@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupted_then_resumed_equals_uninterrupted(tmp_path, tutorial, jobs):
    strategies = ["idle", "typical", "advisor"]
    whole = run_batch(tutorial, strategies, runs=24, seed=9)
    out_file = tmp_path / "batch.csv"
    with RowWriter(out_file) as writer, pytest.raises(KeyboardInterrupt):
        run_batch(tutorial, strategies, runs=24, seed=9, jobs=jobs, on_row=_stop_after(20, writer))
    done, keep = read_rows(out_file)
    assert len(done) == 20  # every finished row was kept
    replayed: list[BatchRow] = []
    with RowWriter(out_file, keep=keep) as writer:
        resumed = run_batch(tutorial, strategies, runs=24, seed=9, jobs=jobs, done=done,
                            on_row=lambda row: (replayed.append(row), writer.write(row)))
    assert len(replayed) == 24 * 3 - 20
    assert resumed.to_dict() == whole.to_dict()
    assert len(read_rows(out_file)[0]) == 24 * 3


def test_ctrl_c_exits_130_keeps_rows_and_resume_gives_the_same_numbers(capsys, tmp_path, monkeypatch):
    args = ["batch", SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "15", "--seed", "4", "--jobs", "1", "--json"]
    code, whole, _err = cli(capsys, *args)
    assert code == 0
    out_file = tmp_path / "batch.jsonl"
    write = RowWriter.write
    written = []

    def write_then_stop(self, row):
        write(self, row)
        written.append(row)
        if len(written) == 7:
            raise KeyboardInterrupt

    monkeypatch.setattr(RowWriter, "write", write_then_stop)
    code, out, err = cli(capsys, *args, "--out", str(out_file))
    assert code == 130
    assert out == "" and "interrupted: 7 of 30 games are finished and kept in" in err and "--resume" in err
    assert "Traceback" not in err
    assert len(out_file.read_text().splitlines()) == 7
    monkeypatch.setattr(RowWriter, "write", write)
    # A stop in the middle of writing leaves half a line: resume drops it and plays that run again.
    with open(out_file, "a") as handle:
        handle.write('{"scenario": "tutorial", "seed": 12')
    code, resumed, err = cli(capsys, *args, "--out", str(out_file), "--resume")
    assert code == 0, err
    assert json.loads(resumed) == json.loads(whole)
    assert len(out_file.read_text().splitlines()) == 30
    # Resuming a finished batch plays nothing and reports the same numbers.
    code, again, _err = cli(capsys, *args, "--out", str(out_file), "--resume")
    assert code == 0 and json.loads(again) == json.loads(whole)


def test_resume_refuses_a_file_from_another_batch(capsys, tmp_path):
    out_file = tmp_path / "batch.csv"

    def batch(*args: str) -> tuple[int, str, str]:
        return cli(capsys, "batch", "--out", str(out_file), "--jobs", "1", *args)

    assert batch(SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "4")[0] == 0
    before = out_file.read_text()
    for args, message in [
        ([SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "4", "--seed", "1"], "different --seed"),
        ([SCENARIO, "-s", "typical", "--runs", "4"], "'idle' is not one of this batch's strategies"),
        ([SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "2"], "past this batch's 2 runs"),
        (["default", "-s", "idle", "-s", "advisor", "--runs", "4"], "not from this batch's scenarios"),
    ]:
        code, _out, err = batch(*args, "--resume")
        assert code == 1 and f"cannot resume from {out_file}" in err and message in err, err
        assert out_file.read_text() == before
    out_file.write_text("name,score\nann,3\n")
    code, _out, err = batch(SCENARIO, "-s", "idle", "--runs", "4", "--resume")
    assert code == 1 and "not a batch output file" in err
    out_file.write_text(before.replace(",advisor,", ",advisor,oops,", 1))
    code, _out, err = batch(SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "4", "--resume")
    assert code == 1 and f"{out_file.name}:3: not a batch row" in err


def test_resume_can_extend_a_batch_to_more_runs(tmp_path, tutorial):
    out_file = tmp_path / "batch.csv"
    with RowWriter(out_file) as writer:
        run_batch(tutorial, ["idle", "advisor"], runs=5, on_row=writer.write)
    done, keep = read_rows(out_file)
    with RowWriter(out_file, keep=keep) as writer:
        extended = run_batch(tutorial, ["idle", "advisor"], runs=9, done=done, on_row=writer.write)
    assert extended.to_dict() == run_batch(tutorial, ["idle", "advisor"], runs=9).to_dict()


def test_resume_refuses_an_edited_scenario(tmp_path, tutorial):
    rows: list[BatchRow] = []
    run_batch(tutorial, ["idle"], runs=2, on_row=rows.append)
    edited = tutorial.model_copy(update={"seller": tutorial.seller.model_copy(update={"quota": 1})})
    with pytest.raises(ResumeError, match="different version of scenario"):
        run_batch(edited, ["idle"], runs=2, done=rows)


# -- the command line ----------------------------------------------------------------------------


def test_json_is_one_object_with_the_documented_shape(capsys):
    code, out, err = cli(capsys, "batch", SCENARIO, "-s", "typical", "-s", "advisor", "-s", "idle", "--runs", "8",
                         "--seed", "3", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {"scenario", "runs", "seed", "strategies", "paired"} <= set(report)
    assert (report["scenario"], report["runs"], report["seed"]) == ("tutorial", 8, 3)
    assert list(report["strategies"]) == ["typical", "advisor", "idle"]
    for result in report["strategies"].values():
        assert {"runs", "bookings_mean", "bookings_ci95", "quota_share", "rates", "cycle_days_mean",
                "forecast_error_mean", "trust_mean", "status_quo_share"} <= set(result)
        assert set(result["rates"]) == {"won", "lost", "no_decision", "rejected", "open"}
        low, high = result["bookings_ci95"]
        assert low <= result["bookings_mean"] <= high
    assert set(report["paired"]) == {"advisor-typical", "idle-typical"}
    pair = report["paired"]["advisor-typical"]
    assert {"bookings_diff_mean", "ci95", "metrics"} <= set(pair)
    assert set(pair["metrics"]) == {"bookings", "no_decision_share", "rejected_share", "forecast_error", "trust"}
    assert pair["metrics"]["bookings"]["diff_mean"] == pair["bookings_diff_mean"]
    for metric in pair["metrics"].values():
        low, high = metric["ci95"]
        assert low <= metric["diff_mean"] <= high
        assert metric["excludes_zero"] == (low > 0 or high < 0)


def test_paired_metrics_are_the_mean_of_run_by_run_differences():
    summary = run_batch("tutorial", ["typical", "advisor"], runs=12, seed=4, keep_bookings=True)
    rows: dict[tuple[str, int], BatchRow] = {}
    run_batch("tutorial", ["typical", "advisor"], runs=12, seed=4, on_row=lambda row: rows.update(
        {(row.strategy, row.run): row}))
    pair = summary.paired["advisor-typical"]
    for metric in ("bookings", "trust", "no_decision_share"):
        values = [paired_values(rows[("advisor", run)])[metric] - paired_values(rows[("typical", run)])[metric]
                  for run in range(12)]
        assert pair.metrics[metric].diff_mean == pytest.approx(sum(values) / len(values))


def test_the_table_shows_the_paired_measures(capsys):
    code, out, err = cli(capsys, "batch", SCENARIO, "-s", "typical", "-s", "advisor", "--runs", "6")
    assert code == 0, err
    assert "Paired differences in the other measures" in out
    assert "share of deals ending in no decision" in out and "trust" in out


def test_several_scenarios_give_one_object_with_a_list(capsys):
    code, out, err = cli(capsys, "batch", "tutorial", "default", "-s", "idle", "--runs", "3", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert [item["scenario"] for item in report["scenarios"]] == ["tutorial", "default"]
    code, out, _err = cli(capsys, "batch", "tutorial", "default", "-s", "idle", "--runs", "3")
    assert code == 0 and "Tutorial" in out and "First Quarter" in out


def test_default_strategies_are_typical_then_advisor(capsys):
    code, out, _err = cli(capsys, "batch", SCENARIO, "--runs", "3", "--jobs", "1", "--json")
    assert code == 0 and list(json.loads(out)["strategies"]) == ["typical", "advisor"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--resume"], 2, "--resume needs --out"),
        (["--out", "rows.txt"], 2, "expected a .csv or .jsonl"),
        (["--plot", "chart.gif"], 2, "expected a .png, .svg or .pdf"),
        (["--executor", "thread", "--scheduler", "tcp://127.0.0.1:1"], 2, "--scheduler is for --executor dask"),
        (["-s", "nobody"], 1, "Unknown strategy 'nobody'"),
        (["-s", "no_such_module:Bot"], 1, "Cannot import strategy module"),
    ],
)
def test_bad_arguments_give_a_clear_message_and_exit_code(capsys, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    got, out, err = cli(capsys, "batch", SCENARIO, "--runs", "2", *args)
    assert got == code and message in err and out == ""


def test_an_unknown_scenario_is_an_error(capsys):
    code, _out, err = cli(capsys, "batch", "no-such-scenario", "--runs", "2")
    assert code == 1 and "no-such-scenario" in err


def test_argparse_refuses_zero_runs(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["batch", SCENARIO, "--runs", "0"])
    assert stop.value.code == 2 and "too small" in capsys.readouterr().err


def test_progress_bar_only_on_a_terminal(capsys):
    code, _out, err = cli(capsys, "batch", SCENARIO, "-s", "idle", "--runs", "3")
    assert code == 0 and "\r" not in err and err == ""


def test_progress_bar_shows_count_and_eta():
    class Terminal:
        def __init__(self):
            self.text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

        def isatty(self):
            return True

    terminal = Terminal()
    bar = ProgressBar("batch", stream=terminal, interval=0.0)
    run_batch(SCENARIO, ["idle"], runs=5, progress=bar)
    bar.clear()
    assert "5/5 games" in terminal.text and "ETA" in terminal.text and "100%" in terminal.text
    assert terminal.text.endswith("\r\x1b[K")


def test_plot_draws_a_file(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    chart = tmp_path / "chart.png"
    code, _out, err = cli(capsys, "batch", SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "6", "--plot",
                          str(chart))
    assert code == 0, err
    assert chart.read_bytes().startswith(b"\x89PNG") and "Plot written" in err
    svg = tmp_path / "chart.svg"
    assert cli(capsys, "batch", "tutorial", "default", "-s", "advisor", "--runs", "3", "--plot", str(svg))[0] == 0
    assert b"<svg" in svg.read_bytes()[:500]


def test_plot_without_matplotlib_says_how_to_install_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    code, out, err = cli(capsys, "batch", SCENARIO, "--runs", "2", "--plot", str(tmp_path / "chart.png"))
    assert code == 1 and "pip install 'dealdrift[plot]'" in err and out == ""


def test_dask_without_dask_installed_says_how_to_install_it(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    code, out, err = cli(capsys, "batch", SCENARIO, "--runs", "2", "--executor", "dask")
    assert code == 1 and out == "" and "pip install 'dealdrift[dask]'" in err


def test_thread_executor_gives_the_same_numbers(capsys):
    args = ["batch", SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "10", "--json"]
    code, inline, _err = cli(capsys, *args, "--jobs", "1")
    code_threads, threads, err = cli(capsys, *args, "--executor", "thread", "--jobs", "3")
    assert code == code_threads == 0, err
    assert json.loads(threads) == json.loads(inline)


def test_batch_modules_import_without_textual():
    code = ("import sys, sim.batch.run, sim.commands.batch, sim.commands.balance, sim.batch.plots; "
            "sys.exit('textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[1], check=False)
    assert result.returncode == 0


def test_inline_executor_runs_tasks_at_once():
    future = InlineExecutor().submit(divmod, 7, 2)
    assert future.done() and future.result() == (3, 1)
    assert isinstance(InlineExecutor().submit(divmod, 1, 0).exception(), ZeroDivisionError)


def test_run_batches_rejects_two_scenarios_with_one_id(tutorial):
    with pytest.raises(DealDriftError, match="Two scenarios have the id 'tutorial'"):
        run_batches([tutorial, "tutorial"], ["idle"], runs=1)


def test_tasks_last_about_task_seconds_once_the_pace_is_known_and_shrink_at_the_end(tutorial):
    from sim.batch.run import FIRST_TASK_RUNS, TASK_SECONDS, _Schedule, _tallies

    labels = ["idle", "typical"]
    tallies = _tallies([tutorial], labels, 1_000, 0, False)
    schedule = _Schedule(tallies, dict(zip(labels, labels)), 1_000, 0)
    tasks = schedule.tasks(2)
    sizes = [len(next(tasks).games) // len(labels) for _ in range(3)]
    assert sizes == [FIRST_TASK_RUNS] * 3
    schedule.pace(games=2 * 400, seconds=1.0)  # 400 runs a second over two jobs: 200 each
    sizes += [len(task.games) // len(labels) for task in tasks]
    assert sizes[3] == int(200 * TASK_SECONDS)
    assert sizes[-4:] == [1, 1, 1, 1]
    assert sum(sizes) == 1_000
