// A Draft.js editor, as X's composer is built. The browser tests bundle this with esbuild from
// node_modules (test-only npm dependencies) at test time.
import { Editor, EditorState } from "draft-js";
import React from "react";
import { createRoot } from "react-dom/client";

let latest = EditorState.createEmpty();

function Composer() {
  const [editorState, setEditorState] = React.useState(latest);
  return React.createElement(Editor, {
    editorState,
    onChange(next) {
      latest = next;
      setEditorState(next);
    },
    ariaLabel: "Post text",
    placeholder: "What is happening?",
  });
}

// Draft.js's own model of the text, so tests see what the site would post.
window.draftText = () => latest.getCurrentContent().getPlainText();
createRoot(document.getElementById("draft")).render(React.createElement(Composer));
