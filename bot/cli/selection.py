"""`sgbot selection`: learn how the answer chooses the line to quote, from labelled questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app

selection_app = typer.Typer(help="Sentence selection: collect labelled lines, learn the weights the answer uses.",
                            no_args_is_help=True)
app.add_typer(selection_app, name="selection")


def _fail(message: str) -> typer.Exit:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]Error:[/] {message}")
    return typer.Exit(2)


@selection_app.command("examples")
def examples_command(
    files: Annotated[list[Path], typer.Argument(help="Evaluation sets (JSONL) over the ingested index "
                                                     "(SGBOT_DATA_DIR): their answerable questions are read.")],
    out: Annotated[Path, typer.Option(help="Where to write the labelled lines (JSON Lines, one question a line).")],
    corpus: Annotated[str, typer.Option(help="A name for the ingested corpus, kept in each question's id.")] = "",
    retriever: Annotated[str, typer.Option(help="hybrid | dense | bm25")] = "hybrid",
) -> None:
    """Every line each question's answer chooses from, with its features, labelled by whether it
    quotes the question's expected phrase."""
    from bot.cli.knowledge import _answerer_or_exit, _settings
    from bot.qa.evaluation import EvalFileError, load_eval_file
    from bot.qa.selection_model import examples

    answerer = _answerer_or_exit(_settings())
    found = []
    for file in files:
        try:
            items = load_eval_file(file)
        except EvalFileError as exc:
            raise _fail(str(exc)) from exc
        found += examples(answerer, items, mode=retriever, prefix=f"{corpus or 'corpus'}/{file.stem}:")
    out.write_text("".join(json.dumps(e.to_json()) + "\n" for e in found), encoding="utf-8")
    print(f"{len(found)} questions with a line that quotes the expected phrase written to {out}")


@selection_app.command("train")
def train_command(
    files: Annotated[list[Path], typer.Argument(help="Labelled lines written by `sgbot selection examples`.")],
    out: Annotated[Path | None, typer.Option(help="Where to write the weights (default: the ones the bot "
                                                  "uses, bot/qa/data/selection_weights.json).")] = None,
    l2: Annotated[float | None, typer.Option(help="Regularisation (default: chosen by cross-validation).")] = None,
) -> None:
    """Learn the weights of the line-scoring from labelled lines and write them."""
    from bot.qa.selection_model import WEIGHTS_FILE, SelectionModelError, load_examples, train

    try:
        data = [e for file in files for e in load_examples(file)]
        sources = sorted({e.id.rsplit(":", 1)[0] for e in data})
        model = train(data, l2=l2, sources=sources)
    except SelectionModelError as exc:
        raise _fail(str(exc)) from exc
    target = out or WEIGHTS_FILE
    model.save(target)
    print(json.dumps({"weights": {k: round(v, 3) for k, v in model.weights.items()}, "margin": model.margin,
                      **model.meta}, indent=1))
    print(f"weights written to {target}")
