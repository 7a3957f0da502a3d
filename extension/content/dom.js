// Small DOM helpers for what the extension draws in its shadow root.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Keep the editor's focus and selection when a button of ours is pressed with the mouse. */
export function keepFocus(button) {
  button.addEventListener("mousedown", (event) => event.preventDefault());
  return button;
}
