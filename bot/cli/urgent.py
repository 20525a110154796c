"""`sgbot urgent`: train the meaning detector for urgent messages, and measure urgent routing on labelled files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app

urgent_app = typer.Typer(help="Urgent detection: train the meaning detector, score labelled files.",
                         no_args_is_help=True)
app.add_typer(urgent_app, name="urgent")


def _fail(message: str) -> typer.Exit:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]Error:[/] {message}")
    return typer.Exit(2)


def _encoder():  # noqa: ANN202 - imported lazily to keep --help fast
    from bot.index.embeddings import ModelMissingError, shared_query_encoder

    try:
        return shared_query_encoder().encode_query
    except ModelMissingError as exc:
        raise _fail(str(exc)) from exc


def _batch_encoder():  # noqa: ANN202
    """Training encodes hundreds of messages: batched, with the same vectors as the query encoder (tested)."""
    from bot.index.embeddings import ModelMissingError, shared_embedder

    try:
        return shared_embedder().encode
    except ModelMissingError as exc:
        raise _fail(str(exc)) from exc


@urgent_app.command("train")
def train_command(
    files: Annotated[list[Path], typer.Argument(help="Labelled messages, one JSON object a line: "
                                                     '{"type": "urgent" | "not_urgent", "question": "..."}; '
                                                     "several files are read as one.")],
    out: Annotated[Path | None, typer.Option(help="Where to write the weights (default: the ones the bot "
                                                  "uses, bot/qa/data/urgent_model.json).")] = None,
) -> None:
    """Train the meaning detector from labelled files and write its weights."""
    from rich.console import Console

    from bot.qa.urgent_model import WEIGHTS_FILE, LabelledFileError, load_labelled, train

    try:
        items = [item for file in files for item in load_labelled(file)]
        model = train(items, _batch_encoder(), source=files)
    except LabelledFileError as exc:
        raise _fail(str(exc)) from exc
    target = out or WEIGHTS_FILE
    model.save(target)
    Console().print(f"Trained on {len(items)} messages ({model.meta['urgent']} urgent) from "
                    f"{', '.join(str(file) for file in files)}; threshold {model.threshold:.3f} (procedure questions "
                    f"{model.procedure_threshold:.3f}, about someone {model.situated_threshold:.3f}); "
                    f"weights written to {target}")


@urgent_app.command("score")
def score_command(
    files: Annotated[list[Path], typer.Argument(help="Labelled files (the same format as for train; "
                                                     "eval files work too).")],
    weights: Annotated[Path | None, typer.Option(help="Weights to use (default: the bot's).")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Score the word rules alone.")] = False,
    show_misses: Annotated[bool, typer.Option("--misses", help="List missed and false-alarm message ids.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Urgent recall and precision of the detector the bot uses, per file."""
    from rich.console import Console
    from rich.table import Table

    from bot.qa.urgent import UrgencyDetector
    from bot.qa.urgent_model import WEIGHTS_FILE, LabelledFileError, UrgencyModel, WeightsError, load_labelled

    if rules_only:
        detector = UrgencyDetector()
    else:
        try:
            model = UrgencyModel.load(weights or WEIGHTS_FILE)
        except WeightsError as exc:
            raise _fail(str(exc)) from exc
        detector = UrgencyDetector(model, _encoder(), _batch_encoder())
    results = {}
    for file in files:
        try:
            items = load_labelled(file)
        except LabelledFileError as exc:
            raise _fail(str(exc)) from exc
        flagged = [check.urgent for check in detector.check_many([item.text for item in items])]
        true_pos = sum(1 for item, f in zip(items, flagged, strict=True) if f and item.urgent)
        false_pos = sum(1 for item, f in zip(items, flagged, strict=True) if f and not item.urgent)
        urgent = sum(1 for item in items if item.urgent)
        results[str(file)] = {
            "messages": len(items), "urgent": urgent,
            "recall": round(true_pos / urgent, 3) if urgent else 1.0,
            "precision": round(true_pos / (true_pos + false_pos), 3) if true_pos + false_pos else 1.0,
            "missed": [item.id for item, f in zip(items, flagged, strict=True) if item.urgent and not f],
            "false_alarms": [item.id for item, f in zip(items, flagged, strict=True) if f and not item.urgent],
        }
    if as_json:
        print(json.dumps(results))
        return
    table = Table(title="urgent detection" + (" (word rules only)" if rules_only else ""))
    for column in ("file", "messages", "urgent", "recall", "precision"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for name, row in results.items():
        table.add_row(name, str(row["messages"]), str(row["urgent"]), f"{row['recall']:.3f}",
                      f"{row['precision']:.3f}")
    console = Console()
    console.print(table)
    if show_misses:
        for name, row in results.items():
            console.print(f"{name}: missed {row['missed'] or 'none'}; false alarms {row['false_alarms'] or 'none'}")
