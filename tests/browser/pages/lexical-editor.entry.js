// A Lexical plain-text editor, as Facebook, Instagram and Threads use Lexical. The browser tests
// bundle this with esbuild from node_modules (test-only npm dependencies) at test time.
import { $getRoot, createEditor } from "lexical";
import { registerPlainText } from "@lexical/plain-text";

const editor = createEditor({
  namespace: "socialcheck-test",
  onError(error) {
    throw error;
  },
});
editor.setRootElement(document.getElementById("draft"));
registerPlainText(editor);

// The editor's own model of the text, so tests see what Lexical believes, not only the DOM.
window.lexicalText = () => editor.getEditorState().read(() => $getRoot().getTextContent());
