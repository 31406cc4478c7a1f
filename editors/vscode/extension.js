// The blueprintc extension: starts `blueprintc lsp` for .cxb files and connects VS Code to
// it with vscode-languageclient. Everything the server offers (diagnostics, hover,
// definitions, references, outline, completion, quick fixes, formatting, and any feature
// a later server adds, such as semantic tokens) reaches the editor through the client.
"use strict";

const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

const SECTION = "blueprintc";
// Settings whose change needs a new server process.
const SERVER_SETTINGS = ["path", "args", "debounce", "idleSize"];

/** @type {LanguageClient | undefined} */
let client;

/**
 * The executable to run: a bare name is looked up on the PATH, an absolute path is used as
 * it is, a relative path (`.venv/bin/blueprintc`) is taken from the first workspace folder.
 */
function serverCommand(configured, folders) {
  const command = configured || "blueprintc";
  if (path.isAbsolute(command) || !/[\\/]/.test(command) || !folders || folders.length === 0) {
    return command;
  }
  return path.join(folders[0].uri.fsPath, command);
}

/** The server's process and the client's options, from the `blueprintc.*` settings. */
function clientConfiguration(config, folders) {
  const serverOptions = {
    command: serverCommand(config.get("path"), folders),
    args: config.get("args", ["lsp"]),
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "cxb" }],
    initializationOptions: {
      debounce: config.get("debounce", 0.15),
      idleSize: config.get("idleSize", 1.0),
    },
    outputChannelName: "blueprintc language server",
  };
  return { serverOptions, clientOptions };
}

async function startClient() {
  const config = vscode.workspace.getConfiguration(SECTION);
  const { serverOptions, clientOptions } = clientConfiguration(config, vscode.workspace.workspaceFolders);
  client = new LanguageClient(SECTION, "blueprintc language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const shown = [serverOptions.command, ...serverOptions.args].join(" ");
    vscode.window.showErrorMessage(
      `blueprintc: could not start the language server (${shown}): ${error.message || error}. ` +
        "Is blueprintc installed? Set blueprintc.path to its full path (for a virtual " +
        "environment, .venv/bin/blueprintc).",
    );
  }
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // A server that never started or already exited has nothing left to stop.
    }
  }
}

async function restartClient() {
  await stopClient();
  await startClient();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("blueprintc.restartServer", restartClient),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (SERVER_SETTINGS.some((name) => event.affectsConfiguration(`${SECTION}.${name}`))) {
        return restartClient();
      }
      return undefined;
    }),
  );
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate, clientConfiguration, serverCommand };
