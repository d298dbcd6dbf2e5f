// DIZ Portal front-end entry point.
// Loaded as <script type="module" src="/static/js/app.js">; no inline scripts
// are allowed (CSP script-src 'self').
//
// (ES module imports are hoisted: the import below is loaded before any other
// code here runs, whatever its position. It only defines components; nothing
// is initialised until initAll() is called.)
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

// GOV.UK Frontend v5 only enhances components when <body> has this class.
// The usual inline snippet can't be used under our CSP, so it is added here.
// Browsers that don't support ES modules never run this file and get the
// non-JavaScript versions of the components.
document.body.classList.add("govuk-frontend-supported");

initAll();

// <form data-diz-confirm="Archive this partner?"> asks for confirmation before
// submitting, and cancels the submission if the user declines.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-diz-confirm")) {
    return;
  }
  const message = form.getAttribute("data-diz-confirm") || "Are you sure?";
  if (!window.confirm(message)) {
    event.preventDefault();
  }
});
