// A ProseMirror editor, as Bluesky's composer (TipTap) is built. Bundled by the browser tests
// with esbuild from node_modules (test-only npm dependencies).
import { schema } from "prosemirror-schema-basic";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";

const view = new EditorView(document.getElementById("draft"), { state: EditorState.create({ schema }) });

// ProseMirror's own model of the text, so tests see what the site would post.
window.editorText = () => view.state.doc.textContent;
