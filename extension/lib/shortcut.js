// Chrome's shortcut strings ("Alt+Shift+S", "Ctrl+Shift+Comma") matched against key events.

const NAMED_KEYS = {
  Comma: ",", Period: ".", Space: " ", Home: "Home", End: "End", PageUp: "PageUp", PageDown: "PageDown",
  Insert: "Insert", Delete: "Delete", Up: "ArrowUp", Down: "ArrowDown", Left: "ArrowLeft", Right: "ArrowRight",
};

/** Parse "Alt+Shift+S" into {alt, ctrl, shift, meta, code}; null for an empty shortcut. */
export function parseShortcut(shortcut) {
  if (!shortcut || typeof shortcut !== "string") return null;
  const parts = shortcut.split("+").map((part) => part.trim());
  const key = parts.pop();
  const mods = new Set(parts.map((part) => part.toLowerCase()));
  return {
    alt: mods.has("alt") || mods.has("option") || mods.has("⌥"),
    ctrl: mods.has("ctrl") || mods.has("macctrl") || mods.has("⌃"),
    shift: mods.has("shift") || mods.has("⇧"),
    meta: mods.has("command") || mods.has("cmd") || mods.has("⌘"),
    key: NAMED_KEYS[key] || key,
  };
}

/** Whether a keydown event is the shortcut (letters and digits by their physical key, so Alt's symbols on a Mac still match). */
export function matchesShortcut(event, shortcut) {
  const wanted = typeof shortcut === "string" ? parseShortcut(shortcut) : shortcut;
  if (!wanted) return false;
  if (event.altKey !== wanted.alt || event.ctrlKey !== wanted.ctrl || event.shiftKey !== wanted.shift || event.metaKey !== wanted.meta) return false;
  if (/^[A-Z]$/i.test(wanted.key)) return event.code === `Key${wanted.key.toUpperCase()}`;
  if (/^[0-9]$/.test(wanted.key)) return event.code === `Digit${wanted.key}`;
  return event.key === wanted.key;
}
