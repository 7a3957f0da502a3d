// A Quill editor, as LinkedIn's composer is built. Bundled by the browser tests with esbuild from
// node_modules (test-only npm dependencies).
import Quill from "quill/core";

const quill = new Quill("#draft", { placeholder: "What do you want to talk about?" });

// Quill's own model of the text (it always ends with a newline), so tests see what would be posted.
window.editorText = () => quill.getText().replace(/\n$/, "");
