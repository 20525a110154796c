"""The business unit's web dashboard, served by `sgbot serve` under /dashboard.

- `signin`: one-time sign-in links given in chat and server-side sessions (tables in `models`);
- `oidc`: OpenID Connect sign-in (Entra ID) as the production option;
- `app`: the Starlette routes and pages (Jinja2 templates, GOV.UK Frontend, no CDN).

The pages call the same services as chat (ReviewQueue, ActionPlans, Themes): nothing is decided here.
"""
