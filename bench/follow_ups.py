"""Follow-up questions scored as a user meets them: two messages in one conversation, through the real
`Assistant` (its database-kept thread, the real index and model), the second answer checked for the facts.

Each line of a follow-ups file is one pair:

    {"id": "fu03", "corpus": "knowledge", "before": "whats the number for the MASH",
     "question": "and in eastbrook?", "expected": ["01632 960300"]}

`corpus` (knowledge | seeds | real; knowledge when absent) names the index under DATA the pair is asked of
(DATA/knowledge, DATA/seeds, DATA/real, each made by `SGBOT_DATA_DIR=DATA/<corpus> sgbot ingest <folder>`
from knowledge/, ../shared/corpus/seeds or ../shared/corpus/real); `area`, when given, is the
area the conversation's channel belongs to. The follow-up is right when its answer, with citation numbers
and markup removed, contains every `expected` phrase (case and white space ignored).

    .venv/bin/python bench/follow_ups.py tests/knowledge/data/followups_tune.jsonl --data data/eval
    .venv/bin/python bench/follow_ups.py tests/knowledge/data/followups_check.jsonl --data data/eval --json
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.bench.follow_ups import load_follow_ups, score_follow_ups  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--data", type=Path, required=True,
                        help="folder holding one ingested data directory per corpus (knowledge, seeds, real)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    from bot.config import Settings

    pairs = load_follow_ups(args.file)
    corpora = sorted({p.corpus for p in pairs})
    missing = [c for c in corpora if not (args.data / c).is_dir()]
    if missing:
        print(f"no ingested index for {', '.join(missing)} under {args.data} (make each with "
              f"SGBOT_DATA_DIR={args.data}/<corpus> sgbot ingest <that corpus's folder>)", file=sys.stderr)
        return 2
    run = uuid.uuid4().hex[:8]
    results = []
    for corpus in corpora:
        settings = Settings(_env_file=None, data_dir=args.data / corpus)  # type: ignore[call-arg]
        results += score_follow_ups(settings, [p for p in pairs if p.corpus == corpus], user_prefix=f"fu-{run}")
    right = sum(r.right for r in results)
    if args.json:
        print(json.dumps({"pairs": len(results), "right": right, "rate": right / len(results) if results else 0.0,
                          "misses": [r.pair_id for r in results if not r.right]}))
        return 0
    for result in results:
        print(f"{'ok  ' if result.right else 'MISS'} {result.pair_id:8} {result.first_line}")
    print(f"{args.file.name}: {right}/{len(results)} follow-ups state the expected facts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
