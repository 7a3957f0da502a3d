// The popup's line about the personal dictionary: how many words it holds, and where to manage them.

chrome.runtime
  .sendMessage({ type: "dictionary-list" })
  .then((answer) => {
    if (!answer || !answer.ok) return; // the server section already explains why
    const count = answer.result.personal.length;
    document.getElementById("dictionary-count").textContent =
      count === 0 ? "No words yet: add one from a spelling card." : `${count} word${count === 1 ? "" : "s"} added from spelling cards.`;
    document.getElementById("dictionary-section").hidden = false;
  })
  .catch(() => {});
