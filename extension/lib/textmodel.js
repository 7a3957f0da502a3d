// The text of a contenteditable editor as the server sees it, with a map back to the DOM.
//
// Offsets are JavaScript string indices (UTF-16 code units), the unit the server uses over
// HTTP. The walker reads only nodeType, nodeName, childNodes, nextSibling, parentNode and
// nodeValue, so it runs on a real DOM in the page and on plain objects in node's tests.

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

// Elements that start a new line. Editors (Draft.js, Lexical, ProseMirror, Quill, Chrome's own
// contenteditable) put each paragraph in one of these.
const BLOCK_TAGS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION",
  "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN",
  "NAV", "OL", "P", "PRE", "SECTION", "TABLE", "TBODY", "TD", "TH", "THEAD", "TR", "UL",
]);
const SKIPPED_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);

function isBlock(node) {
  return node.nodeType === ELEMENT_NODE && BLOCK_TAGS.has(node.nodeName.toUpperCase());
}

function hasContent(node) {
  if (node.nodeType === TEXT_NODE) return (node.nodeValue || "").length > 0;
  if (node.nodeType !== ELEMENT_NODE) return false;
  const name = node.nodeName.toUpperCase();
  if (name === "BR" || name === "IMG") return true;
  if (SKIPPED_TAGS.has(name)) return false;
  for (const child of node.childNodes) if (hasContent(child)) return true;
  return false;
}

// A <br> that ends its paragraph only holds the line open (Lexical, ProseMirror, Quill and
// Chrome all add one); it is not a line break of its own.
function isTrailingBreak(br, root) {
  let node = br;
  while (node && node !== root) {
    for (let next = node.nextSibling; next; next = next.nextSibling) {
      if (hasContent(next)) return false;
    }
    const parent = node.parentNode;
    if (!parent || parent === root || isBlock(parent)) return true;
    node = parent;
  }
  return true;
}

/**
 * Build the text of `root` and the segments that map it back to text nodes.
 * @returns {{text: string, segments: Array<{node: object, start: number, end: number}>}}
 */
export function buildTextModel(root) {
  let text = "";
  const segments = [];
  let pendingBreak = false;

  const flush = () => {
    if (pendingBreak) {
      text += "\n";
      pendingBreak = false;
    }
  };

  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === TEXT_NODE) {
        const value = child.nodeValue || "";
        if (!value) continue;
        flush();
        // A no-break space looks like a space and is one to the checker; same length.
        segments.push({ node: child, start: text.length, end: text.length + value.length });
        text += value.replace(/\u00a0/g, " ");
        continue;
      }
      if (child.nodeType !== ELEMENT_NODE) continue;
      const name = child.nodeName.toUpperCase();
      if (SKIPPED_TAGS.has(name)) continue;
      if (name === "BR") {
        if (!isTrailingBreak(child, root)) {
          flush();
          text += "\n";
        }
        continue;
      }
      if (isBlock(child)) {
        if (pendingBreak || (text.length > 0 && !text.endsWith("\n"))) {
          text += "\n";
        }
        pendingBreak = false;
        walk(child);
        pendingBreak = true;
        continue;
      }
      walk(child);
    }
  };

  walk(root);
  return { text, segments };
}

/**
 * The DOM point (text node and offset in it) for a string offset.
 * `affinity` "forward" prefers the start of the next text node at a boundary (for the start of
 * a range), "backward" the end of the previous one (for the end of a range).
 * @returns {{node: object, offset: number} | null}
 */
export function offsetToPoint(model, offset, affinity = "forward") {
  const { segments } = model;
  if (segments.length === 0) return null;
  if (affinity === "forward") {
    for (const segment of segments) {
      if (offset >= segment.start && offset < segment.end) {
        return { node: segment.node, offset: offset - segment.start };
      }
      if (offset < segment.start) return { node: segment.node, offset: 0 };
    }
    const last = segments[segments.length - 1];
    return { node: last.node, offset: last.end - last.start };
  }
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const segment = segments[i];
    if (offset > segment.start && offset <= segment.end) {
      return { node: segment.node, offset: offset - segment.start };
    }
    if (offset > segment.end) return { node: segment.node, offset: segment.end - segment.start };
  }
  return { node: segments[0].node, offset: 0 };
}

/**
 * The string offset of a DOM point inside a text node the model knows, or null.
 */
export function pointToOffset(model, node, offset) {
  for (const segment of model.segments) {
    if (segment.node === node) return segment.start + Math.min(offset, segment.end - segment.start);
  }
  return null;
}

/**
 * The DOM range boundaries for [start, end), or null when the span is not text in the model.
 * @returns {{startNode, startOffset, endNode, endOffset} | null}
 */
export function spanToBoundaries(model, start, end) {
  if (!(start >= 0 && end > start && end <= model.text.length)) return null;
  const from = offsetToPoint(model, start, "forward");
  const to = offsetToPoint(model, end, "backward");
  if (!from || !to) return null;
  return { startNode: from.node, startOffset: from.offset, endNode: to.node, endOffset: to.offset };
}
