// The options page's dictionary: the words the user added (listed by the server, which keeps
// them), each with a button to remove it, and the team's words from the policy pack.

const $ = (id) => document.getElementById(id);

async function ask(message) {
  const answer = await chrome.runtime.sendMessage(message);
  if (!answer) throw new Error("The extension’s worker did not answer.");
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.result;
}

function say(text, kind = "") {
  const node = $("dictionary-result");
  node.textContent = text;
  node.className = kind;
}

function render({ personal, team }) {
  const list = $("personal-words");
  list.replaceChildren();
  if (!personal.length) {
    const empty = document.createElement("li");
    empty.textContent = "No words yet. Add one from a spelling card while you write.";
    list.append(empty);
  }
  for (const word of personal) {
    const item = document.createElement("li");
    item.className = "word";
    item.dataset.word = word;
    const text = document.createElement("span");
    text.textContent = word;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove-word";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove ${word} from your dictionary`);
    remove.addEventListener("click", async () => {
      remove.disabled = true;
      try {
        render(await ask({ type: "dictionary-remove", word }));
        say(`Removed “${word}”: it is checked for spelling again.`);
        const next = $("personal-words").querySelector("button");
        if (next) next.focus();
      } catch (error) {
        remove.disabled = false;
        say(`“${word}” was not removed: ${error.message}`, "error");
      }
    });
    item.append(text, " ", remove);
    list.append(item);
  }
  $("team-words").textContent = team.length ? team.join(", ") : "None.";
}

async function load() {
  try {
    render(await ask({ type: "dictionary-list" }));
    $("dictionary").dataset.loaded = "true";
  } catch (error) {
    say(`The dictionary could not be read: ${error.message}`, "error");
  }
}

load();
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && ("dictionaryChangedAt" in changes || "serverUrl" in changes)) load();
});
