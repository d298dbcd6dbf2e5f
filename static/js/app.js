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

// <div id="documents" data-diz-poll="/meetings/1/documents/"> is a fragment the server can also
// send on its own (a meeting's documents while they are being built). Every 3 seconds it is fetched
// again and its content swapped in, until the new copy no longer carries data-diz-poll (nothing
// left to wait for); after a couple of minutes it slows to every 15 seconds. Without JavaScript the
// fragment offers a "Refresh" link instead.
const POLL_MS = 3000;
const SLOW_POLL_MS = 15000;
const SLOW_AFTER = 40;

function pollFragment(element, attempt = 0, lastHtml = element.innerHTML) {
  const url = element.getAttribute("data-diz-poll");
  if (!url) {
    return;
  }
  window.setTimeout(async () => {
    let fresh = null;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.ok) {
        const template = document.createElement("template");
        template.innerHTML = (await response.text()).trim();
        fresh = template.content.querySelector(`#${CSS.escape(element.id)}`);
      }
    } catch (error) {
      // Offline, or the server is restarting: try again at the next tick.
    }
    let html = lastHtml;
    if (fresh) {
      html = fresh.innerHTML;
      // Swap only what changed, so that keyboard focus and screen readers are not disturbed
      // every few seconds.
      if (html !== lastHtml) {
        element.innerHTML = html;
      }
      if (!fresh.hasAttribute("data-diz-poll")) {
        element.removeAttribute("data-diz-poll");
        return;
      }
    }
    pollFragment(element, attempt + 1, html);
  }, attempt >= SLOW_AFTER ? SLOW_POLL_MS : POLL_MS);
}

document.querySelectorAll("[data-diz-poll][id]").forEach((element) => pollFragment(element));
