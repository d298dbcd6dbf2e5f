// The agenda builder's "Move up" / "Move down" buttons, without a page reload.
//
// Without this file each button is a plain form POST (the item and the direction) and the page
// comes back in the new order. With it, the click is intercepted: the new order is worked out
// from the rows on the page and POSTed with fetch() (with the form's CSRF token) to the same
// address, which answers JSON: the rows re-rendered in their new order, the expected end time and
// a sentence that is announced to screen readers. Focus stays on the moved item's button.
//
// Anything unexpected (a network error, an answer that is not JSON) falls back to submitting the
// form as if there were no JavaScript, so the server's message is shown on the page.
// Loaded as a module (CSP script-src 'self': no inline scripts).

const rows = document.querySelector("[data-agenda-items]");
const announcer = document.querySelector("[data-agenda-announcer]");
const endsAt = document.querySelector("[data-agenda-ends-at]");

function announce(message) {
  if (!announcer) return;
  // Clear first so that the same sentence twice in a row is still announced.
  announcer.textContent = "";
  window.setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

function orderAfterMove(itemId, direction) {
  const ids = Array.from(rows.querySelectorAll("[data-item-id]"), (row) => row.dataset.itemId);
  const index = ids.indexOf(itemId);
  const target = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= ids.length) return null;
  [ids[index], ids[target]] = [ids[target], ids[index]];
  return ids;
}

function submitWithoutScript(form, submitter) {
  form.dataset.agendaPlain = "true";
  form.requestSubmit(submitter);
}

async function move(form, submitter) {
  const itemId = form.querySelector("input[name=item]").value;
  const direction = submitter.value;
  const order = orderAfterMove(itemId, direction);
  if (order === null) return;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const body = new URLSearchParams({ csrfmiddlewaretoken: token, item: itemId, direction });
  order.forEach((id) => body.append("order", id));

  const buttons = rows.querySelectorAll("button");
  buttons.forEach((button) => {
    button.disabled = true;
  });
  let response;
  let data;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    });
    data = await response.json();
  } catch {
    buttons.forEach((button) => {
      button.disabled = false;
    });
    submitWithoutScript(form, submitter);
    return;
  }
  if (!response.ok) {
    buttons.forEach((button) => {
      button.disabled = false;
    });
    announce(data.message || "The item could not be moved.");
    return;
  }
  rows.innerHTML = data.html;
  if (endsAt && data.ends_at) endsAt.textContent = data.ends_at;
  const moved = rows.querySelector(`[data-item-id="${itemId}"]`);
  const focusTarget =
    moved && (moved.querySelector(`button[value="${direction}"]`) || moved.querySelector("button[name=direction]"));
  if (focusTarget) focusTarget.focus();
  announce(data.message);
}

if (rows) {
  rows.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-move-form")) return;
    if (form.dataset.agendaPlain === "true") return; // the fallback: let the browser submit it
    const submitter = event.submitter;
    if (!submitter || submitter.name !== "direction") return;
    event.preventDefault();
    move(form, submitter);
  });
}
