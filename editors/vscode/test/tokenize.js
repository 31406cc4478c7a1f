// Tokenise texts with the extension's TextMate grammar, as VS Code does (vscode-textmate
// with the Oniguruma regex engine compiled to WebAssembly, vscode-oniguruma).
//
// Usage: node test/tokenize.js < request.json > tokens.json
//
// The request is {"texts": {"NAME": "TEXT", ...}}; the answer is {"NAME": LINES, ...}
// where LINES holds, for each line of the text (split at \r\n, \n and \r, as VS Code
// does), its tokens as [start, end, "scope scope ..."], offsets in code points (VS Code
// counts UTF-16 units; code points let Python slice the line with them).
// Exit codes: 0 tokenised, 2 bad request, 3 the npm packages are missing (run
// `npm ci` in editors/vscode).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const GRAMMAR = path.join(__dirname, "..", "syntaxes", "cxb.tmLanguage.json");
const SCOPE = "source.cxb";

let vsctm;
let oniguruma;
try {
  vsctm = require("vscode-textmate");
  oniguruma = require("vscode-oniguruma");
} catch (error) {
  process.stderr.write(`vscode-textmate or vscode-oniguruma not installed: ${error.message}\n`);
  process.exit(3);
}

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === SCOPE ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR) : null,
  });
  return registry.loadGrammar(SCOPE);
}

// The code point offset of each UTF-16 offset of `line` (up to its length included).
function codePointOffsets(line) {
  const at = [];
  let point = 0;
  for (let unit = 0; unit <= line.length; unit += 1) {
    at.push(point);
    const code = line.charCodeAt(unit);
    if (!(code >= 0xd800 && code <= 0xdbff)) point += 1;
  }
  return at;
}

function tokenize(grammar, text) {
  let state = vsctm.INITIAL;
  return text.split(/\r\n|\n|\r/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    if (result.stoppedEarly) throw new Error(`tokenising stopped early on: ${line}`);
    state = result.ruleStack;
    const at = codePointOffsets(line);
    return result.tokens.map((t) => [at[t.startIndex], at[Math.min(t.endIndex, line.length)], t.scopes.join(" ")]);
  });
}

async function main() {
  let request;
  try {
    request = JSON.parse(fs.readFileSync(0, "utf8"));
  } catch (error) {
    process.stderr.write(`bad request: ${error.message}\n`);
    process.exit(2);
  }
  const grammar = await loadGrammar();
  const answer = {};
  for (const [name, text] of Object.entries(request.texts)) answer[name] = tokenize(grammar, text);
  process.stdout.write(JSON.stringify(answer));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
