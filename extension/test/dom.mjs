// A few plain objects shaped like DOM nodes (the fields textmodel.js reads), so the offset
// mapping is tested in node without a browser. The browser tests cover real editors.

class Node {
  constructor(nodeType, nodeName) {
    this.nodeType = nodeType;
    this.nodeName = nodeName;
    this.childNodes = [];
    this.parentNode = null;
    this.nextSibling = null;
  }
}

export function text(value) {
  const node = new Node(3, "#text");
  node.nodeValue = value;
  return node;
}

export function h(tag, ...children) {
  const node = new Node(1, tag.toUpperCase());
  for (const child of children) {
    const item = typeof child === "string" ? text(child) : child;
    item.parentNode = node;
    const previous = node.childNodes[node.childNodes.length - 1];
    if (previous) previous.nextSibling = item;
    node.childNodes.push(item);
  }
  return node;
}
