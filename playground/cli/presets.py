"""List the presets (the lecture's demos), one JSON object per line."""

from __future__ import annotations

import argparse
import json

from playground.core.build import check_experiment
from playground.core.presets import PRESETS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    for name, preset in PRESETS.items():
        config = preset.experiment.config
        print(json.dumps({"name": name, "title": preset.title, "dataset": config.dataset,
                          "layers": [spec.describe() for spec in preset.experiment.network.layers],
                          "parameters": check_experiment(preset.experiment).total_params,
                          "optimizer": config.optimizer, "learning_rate": config.learning_rate,
                          "batch_size": config.batch_size, "epochs": config.epochs, "lesson": preset.lesson}))
    return 0
