"""Case discussions: a guided multi-agency discussion on a referral, run from methods in
prompts/discussions/*.yaml (Kolb's learning cycle, Signs of Safety, the problem tree),
producing a report structured by the method's stages.

`service.DiscussionService` is the engine and returns typed results
(`results`), which `presenter.DiscussionPresenter` words; `method` loads the YAML;
`report` writes Markdown, HTML and Word. Imported lazily by the assistant.
"""
