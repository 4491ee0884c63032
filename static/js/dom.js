// What the page modules share to draw: find by id, make an element, and put
// values into a template the server translated ("%(name)s", "%%" for "%").

export const $ = (id) => document.getElementById(id);

// el("p", "note", "Text") or el("p", { class: "note", "data-id": 3 }, "Text")
export function el(tag, attrs, text) {
  const node = document.createElement(tag);
  if (typeof attrs === "string") {
    if (attrs) node.className = attrs;
  } else if (attrs) {
    Object.entries(attrs).forEach(([key, value]) => node.setAttribute(key, value));
  }
  if (text !== undefined && text !== null && text !== "") node.textContent = text;
  return node;
}

export function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? "")).replace(/%%/g, "%");
}
