// Uploading a paper with a progress bar. The form works without JavaScript
// (a plain multipart POST and a redirect); with it, the file goes by
// XMLHttpRequest so the bar can follow a large file, the server answers JSON
// ({"redirect"} or {"error", "detail"}) and the refusal is shown in place.
// The size and kind are checked here first only to save a long wait: the
// server checks everything again.
import { fill } from "./dom.js";

// To the page the server names; when it is this page with another #anchor,
// assigning would only scroll, so load it again to show the new paper.
function go(url) {
  const target = new URL(url, window.location.href);
  const here = window.location;
  if (target.origin === here.origin && target.pathname === here.pathname && target.search === here.search) {
    here.hash = target.hash;
    here.reload();
  } else {
    here.assign(target.href);
  }
}

export function enableUpload(form, labels) {
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const button = form.querySelector("button[type=submit]");
  const progress = form.querySelector(".upload-progress");
  const bar = progress ? progress.querySelector("progress") : null;
  const status = progress ? progress.querySelector(".upload-progress-text") : null;
  const error = form.querySelector(".upload-error");
  const limit = Number(form.dataset.limitBytes || 0);

  function showError(message) {
    if (!error) return;
    error.textContent = message || "";
    error.hidden = !message;
  }

  function busy(on) {
    if (button) button.disabled = on;
    if (progress) progress.hidden = !on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  if (input) input.addEventListener("change", () => showError(""));

  form.addEventListener("submit", (event) => {
    const file = input && input.files && input.files[0];
    if (!file) return; // the browser's own "required" message, or the server's
    event.preventDefault();
    showError("");
    if (limit && file.size > limit) {
      showError(labels.too_large);
      return;
    }
    if (file.type !== "application/pdf" && !/\.pdf$/i.test(file.name)) {
      showError(labels.not_pdf);
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable || !bar) return;
      const percent = Math.min(100, Math.floor((e.loaded * 100) / e.total));
      bar.value = percent;
      if (status) status.textContent = fill(labels.sending, { percent });
    });
    xhr.upload.addEventListener("load", () => {
      // Sent: the server now checks the PDF (pages, marking), which takes a moment.
      if (bar) bar.removeAttribute("value");
      if (status) status.textContent = labels.checking;
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && body.redirect) {
        go(body.redirect);
        return;
      }
      busy(false);
      showError((body && body.detail) || labels.failed);
    });
    xhr.addEventListener("error", () => {
      busy(false);
      showError(labels.failed);
    });
    xhr.addEventListener("abort", () => busy(false));
    busy(true);
    if (bar) bar.value = 0;
    if (status) status.textContent = fill(labels.sending, { percent: 0 });
    xhr.send(new FormData(form));
  });
}

// "Only for the people named below": the list of people shows only when it
// counts. Without JavaScript it is always shown, and ignored unless checked.
export function enableRecipients(form) {
  if (!form) return;
  const restricted = form.querySelector("input[name=restricted]");
  const list = form.querySelector(".recipients-list");
  const field = list ? list.closest(".field") : null;
  if (!restricted || !field) return;
  const update = () => {
    field.hidden = !restricted.checked;
  };
  restricted.addEventListener("change", update);
  update();
}
