"""Knowledge commands: ingest, ask, eval, bench."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app


def _settings():  # noqa: ANN202 - imported lazily to keep --help fast
    from bot.config import get_settings

    return get_settings()


def _fail(message: str) -> typer.Exit:
    from rich.console import Console
    from rich.text import Text

    from bot.channels.terminal_text import plain

    Console(stderr=True).print(Text("Error: ", style="bold red") + plain(message))
    return typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest (.md .txt .pdf .docx .html).")],
    area: Annotated[str | None, typer.Option(help="Area(s) for files without metadata, e.g. Northshire.")] = None,
    kind: Annotated[str | None, typer.Option(help="procedure | threshold | learning | arrangements | guidance")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Add documents to the knowledge index; unchanged files are skipped, deleted ones removed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table
    from rich.text import Text

    from bot.channels.terminal_text import plain
    from ingest.metadata import KINDS
    from ingest.pipeline import ingest_paths

    if kind is not None and kind not in KINDS:
        raise _fail(f"--kind {kind!r} is not one of {', '.join(KINDS)}")
    settings = _settings()
    console = Console(stderr=as_json)
    with Progress(TextColumn("[bold]Indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("chunks"),
                  TimeRemainingColumn(), console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("ingest", total=None)

        def on_progress(event: str, amount: int) -> None:
            if event == "total":
                progress.update(task, total=amount)
            else:
                progress.advance(task, amount)

        from bot.qa.generations import IndexStoreError, after_ingest, before_ingest

        try:
            shared = before_ingest(settings)  # SGBOT_INDEX_STORE=database: start from the published index
        except IndexStoreError as exc:
            raise _fail(str(exc)) from exc
        try:
            report = ingest_paths(paths, settings, area=area, kind=kind, progress=on_progress)
            after_ingest(settings, shared, bool(report.added or report.updated or report.removed))
        except Exception as exc:  # the model or the index itself is unusable
            from bot.index.embeddings import ModelMissingError

            raise _fail(str(exc) if isinstance(exc, ModelMissingError) else _index_unavailable(settings, exc)) from exc
    if as_json:
        print(json.dumps(report.as_dict()))
    else:
        table = Table(title="Ingest summary", show_header=True)
        for column in ("added", "updated", "removed", "skipped", "failed", "chunks indexed"):
            table.add_column(column, justify="right")
        table.add_row(*(str(len(x)) for x in (report.added, report.updated, report.removed, report.skipped,
                                               report.failed)), str(report.chunks_indexed))
        console.print(table)
        for name, reason in report.failed:
            console.print(Text("✗ ", style="red") + plain(str(name), style="red") + plain(f": {reason}"))
        for name, note in report.notes:
            console.print(Text("• ", style="yellow") + plain(str(name), style="yellow") + plain(f": {note}"))
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    area: Annotated[str | None, typer.Option(help="Your area: its documents are preferred.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds of document (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Answer a question from the knowledge index, with citations."""
    from ingest.metadata import KINDS

    unknown = [k for k in kind or [] if k not in KINDS]
    if unknown:
        raise _fail(f"--kind {unknown[0]!r} is not one of {', '.join(KINDS)}")
    settings = _settings()
    answerer = _answerer_or_exit(settings)
    answer = answerer.answer(question, area=area, kinds=kind or None)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    from rich.console import Console

    from bot.channels.terminal_text import markdown, plain
    from bot.qa.answer import format_citation

    console = Console()
    console.print(markdown(answer.text))
    if answer.citations:
        console.print("\n[bold]Sources[/]")
        for citation in answer.citations:  # titles come from documents: never Rich markup
            console.print(plain(format_citation(citation)), highlight=False)


def _answer_index_missing(settings) -> str:  # noqa: ANN001
    return (f"The knowledge index in {settings.index_dir} is empty: run `sgbot ingest knowledge/` "
            "(or your own documents) first.")


def _index_unavailable(settings, exc: Exception) -> str:  # noqa: ANN001
    if settings.chroma_host:
        return (f"Cannot use the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
                f"({exc.__class__.__name__}): start it, or unset CHROMA_HOST to use the embedded store.")
    return f"Cannot open the knowledge index in {settings.index_dir} ({exc.__class__.__name__}: {exc})."


def _answerer_or_exit(settings):  # noqa: ANN001, ANN202
    from bot.index.embeddings import ModelMissingError
    from bot.qa.service import Answerer

    try:
        answerer = Answerer.from_settings(settings)
    except ModelMissingError as exc:
        raise _fail(str(exc)) from exc
    except Exception as exc:  # Chroma or the index itself cannot be opened
        raise _fail(_index_unavailable(settings, exc)) from exc
    if answerer.index.is_empty():
        raise _fail(_answer_index_missing(settings))
    return answerer


@app.command("eval")
def evaluate_command(
    file: Annotated[Path, typer.Argument(help="Evaluation set (JSONL), e.g. ../shared/eval/dev.jsonl.")],
    k: Annotated[int, typer.Option("--k", help="How many passages count as retrieved.")] = 5,
    retriever: Annotated[str, typer.Option(help="hybrid | dense | bm25")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
) -> None:
    """Measure recall@k, MRR, answered/abstention rates and urgent routing over an ingested index."""
    from bot.qa.evaluation import EvalFileError, evaluate, load_eval_file

    if retriever not in ("hybrid", "dense", "bm25"):
        raise _fail(f"--retriever {retriever!r} must be hybrid, dense or bm25")
    if not file.exists():
        raise _fail(f"{file} does not exist")
    try:
        items = load_eval_file(file)
    except EvalFileError as exc:
        raise _fail(str(exc)) from exc
    answerer = _answerer_or_exit(_settings())
    report = evaluate(answerer, items, k=k, mode=retriever)  # type: ignore[arg-type]
    if as_json:
        print(json.dumps(report.as_dict()))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Evaluation: {file.name} ({retriever}, k={k})")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name in ("recall_at_k", "mrr", "fact_in_answer_rate", "answered_rate", "abstention_rate", "urgent_recall",
                 "urgent_precision", "mean_quoted_words"):
        table.add_row(name, f"{getattr(report, name):.3f}")
    Console().print(table)
    if report.misses:
        Console().print(f"misses: {report.misses}")


@app.command()
def bench(
    chunks: Annotated[int, typer.Option(help="Passages in the latency index (built once, then kept).")] = 10_000,
    sample: Annotated[int, typer.Option(help="Passages embedded for the encode and ingest rates.")] = 500,
    queries: Annotated[int, typer.Option(help="Questions timed, with and without an area.")] = 60,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
) -> None:
    """Encode and ingest rates, warm and cold ask latency, peak memory (see bot/bench/knowledge.py)."""
    from bot.bench.knowledge import as_dict, run_knowledge_bench

    report = run_knowledge_bench(_settings(), chunks=chunks, sample=sample, queries=queries)
    if as_json:
        print(json.dumps(as_dict(report)))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"sgbot bench: {chunks} passages, sample {report.sample}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in as_dict(report).items():
        table.add_row(name, str(value))
    Console().print(table)
