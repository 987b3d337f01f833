"""One simulated player of the load test: joins the class, plays `default` to the end through the Game API,
recording every action and week with the store's writer, and leaves its save file behind.

Run as: python load_player.py STORE CLASS NUMBER SAVE_FOLDER
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from sim.classroom.recorder import Recorder
from sim.classroom.store import ClassStore
from sim.game import Game
from sim.strategies import load_strategy

STRATEGIES = ("advisor", "typical", "random", "pusher")


def main(store_path: str, class_name: str, number: int, saves: str) -> None:
    store = ClassStore.open(store_path)
    record = store.get_class(class_name)
    player = store.join(record, f"Player {number:02d}").player
    game = Game(record.scenario, record.seed)
    recorder = Recorder(store, player.id)
    bot = load_strategy(STRATEGIES[number % len(STRATEGIES)])(number)
    rng = random.Random(number)
    while not game.over:
        choices = list(bot.choose(game.observe()))
        rng.shuffle(choices)  # every player plays a little differently
        for choice in choices[: rng.randint(1, 4)]:
            if game.refusal(*choice) is None:
                game.act(*choice)
                recorder.record(game)
        game.end_turn()
        recorder.record(game)
    game.save(Path(saves) / f"player-{number:02d}.json")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
