// Activate the extension against stand-ins for the `vscode` API and vscode-languageclient,
// and report what it asked for: the server command, its arguments, the client options,
// the registered commands, and what a restart and a change of settings do.
//
// Usage: node test/activate.js SETTINGS_JSON WORKSPACE_FOLDER
// Prints one JSON object. Exit code 3: vscode-languageclient is not installed (`npm ci`).
"use strict";

const Module = require("node:module");
const path = require("node:path");

const [settingsJson, workspace] = process.argv.slice(2);
const settings = JSON.parse(settingsJson || "{}");
const events = [];
const commands = {};
let configurationListener;

const vscode = {
  workspace: {
    workspaceFolders: workspace ? [{ uri: { fsPath: workspace } }] : undefined,
    getConfiguration: (section) => ({
      get: (name, fallback) => {
        const key = `${section}.${name}`;
        return key in settings ? settings[key] : fallback;
      },
    }),
    onDidChangeConfiguration: (listener) => {
      configurationListener = listener;
      return { dispose() {} };
    },
  },
  commands: {
    registerCommand: (name, callback) => {
      commands[name] = callback;
      return { dispose() {} };
    },
  },
  window: {
    showErrorMessage: (message) => events.push({ error: message }),
  },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    events.push({ client: { id, name, serverOptions, clientOptions } });
  }
  async start() {
    events.push("start");
    if (settings.failStart) throw new Error("spawn ENOENT");
  }
  async stop() {
    events.push("stop");
  }
}

try {
  require.resolve("vscode-languageclient/node", { paths: [path.join(__dirname, "..")] });
} catch (error) {
  process.stderr.write(`vscode-languageclient not installed: ${error.message}\n`);
  process.exit(3);
}
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient };
  return load.call(this, request, parent, isMain);
};

async function main() {
  const extension = require(path.join(__dirname, "..", "extension.js"));
  const context = { subscriptions: [] };
  await extension.activate(context);
  events.push("activated");
  await commands["blueprintc.restartServer"]();
  events.push("restarted");
  await configurationListener({ affectsConfiguration: (key) => key === "blueprintc.path" });
  await configurationListener({ affectsConfiguration: (key) => key === "editor.fontSize" });
  events.push("configured");
  await extension.deactivate();
  process.stdout.write(
    JSON.stringify({ events, commands: Object.keys(commands), subscriptions: context.subscriptions.length }),
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
