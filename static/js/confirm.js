// Asking before what cannot be undone: a dialog that says the consequence in
// words, with "go back" as the safe choice under the thumb and in focus.
//
// confirmStep({ title, text, items, yes, no }) resolves true only for "yes".
// A form marked data-confirm-title (with data-confirm-text, -yes, -no) asks
// before it is sent; this module binds every such form of the page.

import { el } from "./dom.js";

export function confirmStep({ title, text = "", items = [], itemsLabel = "", yes, no }) {
  return new Promise((resolve) => {
    const dialog = el("dialog", { class: "confirm", "aria-labelledby": "confirm-title" });
    dialog.append(el("h2", { id: "confirm-title" }, title));
    if (itemsLabel && items.length) dialog.append(el("p", "confirm-items-label", itemsLabel));
    if (items.length) {
      const list = el("ul", "confirm-items");
      items.forEach((item) => list.append(el("li", "", item)));
      dialog.append(list);
    }
    if (text) dialog.append(el("p", "confirm-text", text));
    const row = el("div", "button-row confirm-buttons");
    const back = el("button", { type: "button", class: "button", id: "confirm-no" }, no);
    const go = el("button", { type: "button", class: "button button-danger", id: "confirm-yes" }, yes);
    row.append(back, go);
    dialog.append(row);
    let answered = false;
    const answer = (value) => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    back.addEventListener("click", () => answer(false));
    go.addEventListener("click", () => answer(true));
    dialog.addEventListener("cancel", () => answer(false)); // Escape
    dialog.addEventListener("close", () => answer(false));
    document.body.append(dialog);
    dialog.showModal();
    back.focus();
  });
}

function guard(form) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.confirmed === "true") return;
    event.preventDefault();
    const submitter = event.submitter;
    const yes = await confirmStep({
      title: form.dataset.confirmTitle,
      text: form.dataset.confirmText || "",
      yes: form.dataset.confirmYes,
      no: form.dataset.confirmNo,
    });
    if (!yes) return;
    form.dataset.confirmed = "true";
    form.requestSubmit(submitter || undefined);
  });
}

document.querySelectorAll("form[data-confirm-title]").forEach(guard);
