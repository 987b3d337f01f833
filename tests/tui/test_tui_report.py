"""The debrief record and its Markdown and HTML forms."""

from __future__ import annotations

from dataclasses import replace
from xml.etree import ElementTree

from tui_support import finished_session

from sim.review import review
from tui.format import bar, money, short_money, spark
from tui.played import same_world_endings, same_world_lines
from tui.report import bookings_chart, build_debrief, debrief_for, to_html, to_markdown


def test_the_debrief_explains_every_deal_and_waits_for_what_is_played() -> None:
    session = finished_session()
    result = session.result()
    debrief = debrief_for(session.game)
    assert debrief.title == "Tutorial: Two Deals at Brightwater"
    assert [deal.explanation for deal in debrief.deals] == [deal.explanation for deal in result.deals]
    labels = [item.label for item in debrief.score]
    assert labels == ["Bookings", "Deals", "Cycle time", "Forecast accuracy", "Trust", "Hours"]
    assert debrief.same_world is None and debrief.helped is None
    assert "## What would have helped\n\nNot played yet." in to_markdown(debrief)


def test_what_would_have_helped_states_only_what_was_played() -> None:
    game = finished_session(seed=2, scenario="default").game
    played = review(game)
    debrief = debrief_for(game, played)
    assert debrief.helped is not None
    assert [item.deal_id for item in debrief.helped] == list(played.counterfactuals)
    for item in debrief.helped:
        counterfactual = played.counterfactuals[item.deal_id]
        take = counterfactual.take_over
        if take is None:
            assert item.take_over == "" and not item.saved
            continue
        assert f"week {take.from_week}" in item.turning and f"Played from week {take.from_week}" in item.take_over
        assert item.saved == (take.ending == "won")
        assert ("won" in item.take_over) == (take.ending == "won")
        assert item.changed == (counterfactual.change is not None)
    saved = sum(item.saved for item in debrief.helped)
    assert f"won {saved} of the {len(debrief.helped)}" in debrief.helped_summary
    markdown = to_markdown(debrief)
    for item in debrief.helped:
        assert item.turning in markdown


def test_the_same_world_puts_you_first_then_the_bots() -> None:
    game = finished_session(seed=2, scenario="default").game
    played = review(game)
    debrief = debrief_for(game, played)
    assert debrief.same_world is not None
    assert [rival.player for rival in debrief.same_world] == ["you", "advisor", "typical"]
    assert debrief.same_world[1].bookings == played.same_world["advisor"].bookings
    lines = same_world_lines(debrief.same_world, debrief.quota)
    assert lines[0].startswith("you ") and money(played.same_world["typical"].bookings) in lines[2]
    table = same_world_endings(debrief.same_world, [(deal.deal_id, deal.name) for deal in debrief.deals])
    assert table[0].split() == ["you", "advisor", "typical"] and len(table) == len(debrief.deals) + 1
    markdown = to_markdown(debrief)
    assert "## You and the bots on the same world" in markdown


def test_a_game_with_nothing_missed_has_nothing_to_replay() -> None:
    session = finished_session()
    played = replace(review(session.game), counterfactuals={})
    debrief = debrief_for(session.game, played)
    assert debrief.helped == ()
    assert "Every deal closed: there is nothing to replay." in to_markdown(debrief)


def test_html_escapes_what_comes_from_scenario_files() -> None:
    result = finished_session().result()
    tricky = replace(result, deals=tuple(replace(deal, title="<script>x</script> & co") for deal in result.deals))
    page = to_html(build_debrief(tricky, title="A <b>title</b>", finished=True, week=1))
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; co" in page
    assert "<title>Debrief: A &lt;b&gt;title&lt;/b&gt;</title>" in page


def test_the_html_debrief_draws_its_charts_as_inline_svg_in_one_file() -> None:
    game = finished_session(seed=2, scenario="default").game
    page = to_html(debrief_for(game, review(game)))
    assert page.count("<svg ") == 3
    for label in ("Bookings on the same world: you and the bots", "Bookings over", "Attention per deal"):
        assert label in page
    # One self-contained file: no scripts, links, images or fonts fetched from anywhere.
    for outside in ("<script", "<link", "<img", "url(", "src=", "href="):
        assert outside not in page
    root = ElementTree.fromstring(page.split("<body>")[1].split("</body>")[0].join(["<body>", "</body>"])
                                  .replace("&nbsp;", " "))
    charts = [element for element in root.iter() if element.tag.endswith("svg")]
    assert len(charts) == 3
    lines = [element for element in charts[1].iter() if element.tag.endswith("polyline")]
    assert len(lines) == 3  # you, advisor, typical


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
