"""The debrief record and its Markdown and HTML forms."""

from __future__ import annotations

from dataclasses import replace

from tui_support import finished_session

from tui.format import bar, short_money, spark
from tui.report import bookings_chart, build_debrief, debrief_for, to_html, to_markdown


def test_the_debrief_explains_every_deal_and_derives_advice_from_the_missed_ones() -> None:
    session = finished_session()
    result = session.result()
    debrief = debrief_for(session.game)
    assert debrief.title == "Tutorial: Two Deals at Brightwater"
    assert [deal.explanation for deal in debrief.deals] == [deal.explanation for deal in result.deals]
    missed = {deal.lesson for deal in result.deals if deal.ending != "won" or deal.lesson_key == "dont_push"}
    assert {advice.lesson for advice in debrief.advice} == missed - {""}
    labels = [item.label for item in debrief.score]
    assert labels == ["Bookings", "Deals", "Cycle time", "Forecast accuracy", "Trust", "Hours"]


def test_advice_ranks_the_lesson_that_cost_most_deals_first() -> None:
    result = finished_session(seed=2, scenario="default").result()
    debrief = build_debrief(result, title="t", finished=True, week=13)
    counts = [len(advice.deals) for advice in debrief.advice]
    assert counts == sorted(counts, reverse=True)


def test_an_all_won_game_has_nothing_to_regret() -> None:
    result = finished_session().result()
    deals = tuple(replace(deal, ending="won", lesson_key="buying_project") for deal in result.deals)
    won = replace(result, deals=deals)
    debrief = build_debrief(won, title="t", finished=True, week=1)
    assert debrief.advice == ()
    assert "Every deal was won without pushing" in to_markdown(debrief)


def test_html_escapes_what_comes_from_scenario_files() -> None:
    result = finished_session().result()
    tricky = replace(result, deals=tuple(replace(deal, title="<script>x</script> & co") for deal in result.deals))
    page = to_html(build_debrief(tricky, title="A <b>title</b>", finished=True, week=1))
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; co" in page
    assert "<title>Debrief: A &lt;b&gt;title&lt;/b&gt;</title>" in page


def test_the_bookings_chart_draws_a_bar_per_week_with_a_quota_line_and_bookings_past_it() -> None:
    lines = bookings_chart((0, 0, 50, 100, 150), 100)
    assert len(lines) == 5
    quota_line = lines[0].index("┐")
    assert lines[0].endswith("quota 100┐")
    assert all(line.index("│") == quota_line for line in lines[1:])
    # The scale is the larger of quota and bookings: 150 fills the bar, the quota sits at two thirds.
    assert lines[2].startswith("Week 2  ") and lines[2].endswith("  50")
    assert lines[4].endswith(" 150") and "░" not in lines[4]
    assert lines[3].endswith(" 100") and "░" in lines[3].split("│")[1] and "░" not in lines[3].split("│")[0]
    more, less = bookings_chart((0, 730_000, 980_000), 900_000)[1:]
    assert more.count("█") < less.count("█")  # 980,000 is drawn longer than 730,000, past the quota line
    assert bookings_chart((0,), 100) == ("No week has been played yet.",)
    assert len(bookings_chart(tuple(range(0, 5200, 10)), 1000)) <= 28


def test_text_charts_keep_a_fixed_scale() -> None:
    assert spark([0.0, 0.5, 1.0]) == "▁▅█"
    assert spark([0.4, 0.41]) == "▄▄"  # a small dip stays small
    assert bar(0.5, 4) == "██░░" and bar(1.5, 3) == "███" and bar(0.0, 2) == "░░"
    assert [short_money(v) for v in (950, 1500, 80_000, 1_200_000, 2_000_000)] == ["950", "1.5k", "80k", "1.2M", "2M"]


def test_the_debrief_names_the_same_day_as_the_explanation() -> None:
    import re

    import sim
    from sim.scenario.loader import load_scenario
    from tui.report import build_debrief

    checked = 0
    for seed in range(30):
        result = sim.play(load_scenario("tutorial"), "advisor", seed=seed)
        debrief = build_debrief(result, title="t", finished=True, week=result.weeks)
        for deal in debrief.deals:
            said = re.match(r"Won on day (\d+)", deal.explanation)
            if said:
                checked += 1
                assert deal.when.startswith(f"day {said.group(1)},"), (seed, deal.when, deal.explanation)
    assert checked > 10
