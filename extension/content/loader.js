// A classic content script (Chrome loads no module here) that imports the real one.
// It never throws into the page: if anything fails, the page works as before.
(() => {
  if (globalThis.__socialcheckStarted) return;
  globalThis.__socialcheckStarted = true;
  import(chrome.runtime.getURL("content/main.js"))
    .then((main) => main.start())
    .catch((error) => console.warn("Socialcheck could not start on this page:", error));
})();
