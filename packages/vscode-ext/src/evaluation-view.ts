/**
 * Where an evaluation is shown: a read-only document (scheme `maa-policy-evaluation`) opened beside
 * the policy with the cursor on its first line, so that the decision (line 3) is what the user
 * sees. An output channel would open scrolled to its end, past the decision, on a long report.
 * Each policy has its own document; evaluating again replaces its text.
 */
import * as path from "node:path";
import * as vscode from "vscode";

/** The URI scheme of the evaluation documents. */
export const EVALUATION_SCHEME = "maa-policy-evaluation";

/** The read-only evaluation documents, by URI. */
export class EvaluationView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fired when a document's text is replaced (VS Code then reloads it). */
  readonly onDidChange = this.changed.event;

  /** The document that shows the evaluation of `policy`. */
  uriFor(policy: vscode.Uri): vscode.Uri {
    const name = path.posix.basename(policy.path || policy.fsPath || "policy");
    return vscode.Uri.from({ scheme: EVALUATION_SCHEME, path: `/Evaluation of ${name}`, query: policy.toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }

  /** Shows `text` as the evaluation of `policy`, beside it, from its first line. */
  async show(policy: vscode.Uri, text: string): Promise<void> {
    const uri = this.uriFor(policy);
    const known = this.texts.has(uri.toString());
    this.texts.set(uri.toString(), text);
    if (known) this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const top = new vscode.Range(0, 0, 0, 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true, selection: top });
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
