// The secretariat's agenda: drag an item to a new place (a desktop nicety;
// the Up and Down buttons do the same without a mouse). The new order is
// posted to the same form view as without JavaScript; the page then reloads
// from the server, which shows the result or the refusal.

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export function enableAgendaDrag(list) {
  if (!list || !list.dataset.reorderUrl) return;
  let dragged = null;
  list.querySelectorAll(".manage-item").forEach((row) => {
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      if (event.target.closest("details[open]")) {
        event.preventDefault();
        return;
      }
      dragged = row;
      row.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("is-dragging");
      list.querySelectorAll(".drop-target").forEach((n) => n.classList.remove("drop-target"));
    });
    row.addEventListener("dragover", (event) => {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      row.classList.add("drop-target");
    });
    row.addEventListener("dragleave", () => row.classList.remove("drop-target"));
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      row.classList.remove("drop-target");
      if (!dragged || dragged === row) return;
      const rows = [...list.querySelectorAll(".manage-item")];
      const after = rows.indexOf(dragged) < rows.indexOf(row);
      row.insertAdjacentElement(after ? "afterend" : "beforebegin", dragged);
      postOrder(list);
    });
  });
}

async function postOrder(list) {
  const order = [...list.querySelectorAll(".manage-item")].map((row) => row.dataset.itemId).join(",");
  const body = new URLSearchParams({ order, csrfmiddlewaretoken: csrfToken() });
  await fetch(list.dataset.reorderUrl, {
    method: "POST",
    credentials: "same-origin",
    // Not followed here: the page reloads and shows the message the view left.
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  window.location.reload();
}
