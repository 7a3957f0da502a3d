// Draws an image check's answer (findings, the circle preview) into a container. Shared by the
// popup and the content script's image panel. Text from the server goes in by textContent only.

const SEVERITY_LABELS = { error: "Must fix", warning: "Should fix", info: "Advice" };

export function renderImageReport(container, report, doc = document) {
  const make = (tag, className, text) => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  container.replaceChildren();
  const findings = Array.isArray(report.findings) ? report.findings : [];
  const layout = make("div", "image-report");
  // The server names it preview_png (base64 PNG); an older draft of the contract said preview.
  const preview = report.preview_png || report.preview;
  if (typeof preview === "string" && preview) {
    const figure = make("figure", "preview");
    const img = make("img");
    img.alt = "How the image looks cropped to a circle";
    img.src = preview.startsWith("data:") ? preview : `data:image/png;base64,${preview}`;
    figure.append(img, make("figcaption", "", "As a round profile picture"));
    layout.append(figure);
  }
  const list = make("ul", "image-findings");
  if (findings.length === 0) {
    list.append(make("li", "ok", "No problems found: this image fits the social media identity."));
  }
  for (const finding of findings) {
    const item = make("li", `finding ${finding.severity || "info"}`);
    item.dataset.rule = finding.rule || "";
    item.dataset.category = finding.category || "";
    item.append(make("span", `pill ${finding.severity || "info"}`, SEVERITY_LABELS[finding.severity] || finding.severity));
    item.append(make("span", "message", finding.message || ""));
    if (finding.guideline) item.append(make("span", "guideline", `Handbook: ${finding.guideline}`));
    if (Array.isArray(finding.suggestions) && finding.suggestions.length) {
      item.append(make("span", "try", `Try: ${finding.suggestions.join("; ")}`));
    }
    list.append(item);
  }
  layout.append(list);
  container.append(layout);
  return findings.length;
}

/** Read a File or Blob as a data: URL (to send it to the service worker in a message). */
export function readAsDataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error || new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });
}
