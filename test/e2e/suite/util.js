const vscode = require('vscode');

/** Resolves with the file's Tuneset diagnostics once a predicate holds, waiting on events, never a fixed sleep. */
function diagnosticsWhen(uri, predicate, timeoutMs = 30000) {
  const current = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'tuneset');
  return new Promise((resolve, reject) => {
    if (predicate(current())) return resolve(current());
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`diagnostics for ${uri.path} never matched; last: ${current().map((d) => d.code.value ?? d.code).join(', ')}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      if (predicate(current())) {
        clearTimeout(timer);
        sub.dispose();
        resolve(current());
      }
    });
  });
}

const codeOf = (d) => (typeof d.code === 'object' ? d.code.value : d.code);

async function open(relative) {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, relative);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  return { uri, doc, editor };
}

module.exports = { diagnosticsWhen, codeOf, open };
