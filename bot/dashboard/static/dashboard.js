// Marks the page as able to run GOV.UK Frontend's scripts, then starts its components.
// A file (not inline) so that the Content-Security-Policy can forbid inline scripts.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
