"""`sgbot abstention fit`: fit when to abstain on the labelled development sets of every corpus at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app
from bot.qa.abstention import MODEL_MODES

abstention_app = typer.Typer(help="When the answer abstains: fit the model on labelled sets.", no_args_is_help=True)
app.add_typer(abstention_app, name="abstention")

DATA = Path("tests/knowledge/data")
# Hybrid retrieval keeps the hand-set rule (`Evidence.rule`): fitted on the same sets, a model did no better
# out of fold once the question's length was left out (see bot/qa/abstention.py).
MODES = MODEL_MODES


def _fail(message: str) -> typer.Exit:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]Error:[/] {message}")
    return typer.Exit(2)


@abstention_app.command("fit")
def fit_command(
    index: Annotated[list[str], typer.Option(help="CORPUS=DATA_DIR: an index ingested from one corpus "
                                                  "(knowledge, seeds, real), whose labelled parts are "
                                                  "tests/knowledge/data/CORPUS_<part>.jsonl. Repeat for each.")],
    out: Annotated[Path | None, typer.Option(help="Where to write the weights (default: the ones the bot uses, "
                                                  "bot/qa/data/abstention_model.json).")] = None,
) -> None:
    """Fit the abstention model of each single retriever (dense, BM25) on the tune parts of every corpus given."""
    import numpy as np
    from rich.console import Console

    from bot.config import Settings
    from bot.qa.abstention import FIT_PARTS, WEIGHTS_FILE, fit, labelled_evidence, write
    from bot.qa.evaluation import EvalFileError, load_eval_file
    from bot.qa.service import Answerer

    rows: dict[str, tuple[list[list[float]], list[int]]] = {mode: ([], []) for mode in MODES}
    files: list[str] = []
    for spec in index:
        corpus, _, data_dir = spec.partition("=")
        if not data_dir:
            raise _fail(f"--index {spec!r} must be CORPUS=DATA_DIR")
        answerer = Answerer.from_settings(Settings(SGBOT_DATA_DIR=Path(data_dir)))  # type: ignore[call-arg]
        if answerer.index.is_empty():
            raise _fail(f"{data_dir} holds no ingested documents")
        for part in FIT_PARTS:
            path = DATA / f"{corpus}_{part}.jsonl"
            if not path.exists():
                continue
            try:
                items = load_eval_file(path)
            except EvalFileError as exc:
                raise _fail(str(exc)) from exc
            files.append(path.name)
            for mode in MODES:
                x, y = labelled_evidence(answerer, items, mode)
                rows[mode][0].extend(x)
                rows[mode][1].extend(y)
    if not files:
        raise _fail(f"no labelled parts found under {DATA} for {', '.join(index)}")
    models = {}
    console = Console()
    for mode in MODES:
        x, y = rows[mode]
        model, figures = fit(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        models[mode] = model
        console.print(f"{mode}: {figures['answerable']} answerable, {figures['out_of_scope']} out of scope; "
                      f"threshold {model.threshold:.2f}; out of fold answered {figures['answered']:.3f}, "
                      f"abstained {figures['abstained']:.3f}")
    target = out or WEIGHTS_FILE
    write(models, {"files": sorted(files)}, target)
    console.print(f"weights written to {target}")
