// Check Mermaid text with the real Mermaid parser (`mermaid.parse`) under Node.
//
// Usage: node mermaid_parse.mjs DIR [--summary] < diagram.mmd
//
// DIR holds node_modules/mermaid and node_modules/jsdom: Mermaid sanitises labels with
// DOMPurify, which needs a DOM, so a jsdom window is installed before Mermaid is loaded.
// Exit codes: 0 accepted, 1 rejected (the parse error on stderr), 3 packages missing.
//
// With --summary, a flowchart that parses is printed as JSON as Mermaid understood it:
// {"type", "vertices": [{"id", "text"}], "edges": [{"start", "end", "text"}],
//  "subgraphs": [{"id", "title", "nodes"}]}, with entity codes (#quot;) decoded to the
// characters a reader sees.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir, option] = process.argv.slice(2);
if (!dir) {
  process.stderr.write("usage: node mermaid_parse.mjs DIR [--summary] < diagram.mmd\n");
  process.exit(3);
}
const require = createRequire(join(dir, "package.json"));
let mermaidPath;
let JSDOM;
try {
  mermaidPath = require.resolve("mermaid");
  ({ JSDOM } = require("jsdom"));
} catch (error) {
  process.stderr.write(`mermaid or jsdom not installed under ${dir}: ${error.message}\n`);
  process.exit(3);
}

// DOMPurify binds to the global window when it is first imported: set it up beforehand.
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;

const { default: mermaid } = await import(pathToFileURL(mermaidPath).href);
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
const text = readFileSync(0, "utf8");
let parsed;
try {
  parsed = await mermaid.parse(text);
} catch (error) {
  process.stderr.write(`${error.message ?? error}\n`);
  process.exit(1);
}
if (option !== "--summary") {
  process.stdout.write(`${JSON.stringify(parsed)}\n`);
  process.exit(0);
}

// Mermaid stores `#quot;` as a private code and turns it into `&quot;` when drawing; the
// browser then decodes the HTML entity. Do both steps.
const textarea = document.createElement("textarea");
function shown(label) {
  textarea.innerHTML = String(label ?? "")
    .replace(/\uFB02\u00B0\u00B0/g, "&#")
    .replace(/\uFB02\u00B0/g, "&")
    .replace(/\u00B6\u00DF/g, ";");
  return textarea.value;
}
const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
const db = diagram.db;
const summary = {
  type: diagram.type,
  vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, text: shown(v.text) })),
  edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: shown(e.text) })),
  subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: shown(s.title), nodes: s.nodes })),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
