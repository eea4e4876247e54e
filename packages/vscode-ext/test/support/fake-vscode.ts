/**
 * A small fake of the `vscode` module and of `vscode-languageclient/node`, enough to run the
 * extension's `activate()` and its commands in vitest (no VS Code download). Every call is
 * recorded in `fake`; answers to dialogs and requests are queued by the test.
 */

/** A fake `vscode.Uri` (file and untitled URIs only). */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
    readonly query = "",
  ) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri("file", p);
  }
  static parse(s: string): Uri {
    if (s.startsWith("file://")) return new Uri("file", decodeURIComponent(s.slice("file://".length)));
    const i = s.indexOf(":");
    return new Uri(s.slice(0, i), s.slice(i + 1));
  }
  static from(parts: { scheme: string; path?: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? "", parts.query ?? "");
  }
  toString(): string {
    if (this.scheme === "file") return `file://${this.fsPath}`;
    return `${this.scheme}:${this.fsPath}${this.query ? `?${encodeURIComponent(this.query)}` : ""}`;
  }
}

/** A fake `vscode.Range` (what the extension reads of it). */
export class Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}
}

/** A fake `vscode.EventEmitter`. */
export class EventEmitter<T> {
  private readonly listeners: ((e: T) => void)[] = [];
  readonly event = (listener: (e: T) => void): Disposable => {
    this.listeners.push(listener);
    return { dispose: () => this.listeners.splice(this.listeners.indexOf(listener), 1) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.length = 0;
  }
}

/** A text document content provider, as registered. */
interface ContentProvider {
  provideTextDocumentContent(uri: Uri): string;
  onDidChange?: (listener: (uri: Uri) => void) => Disposable;
}

interface Disposable {
  dispose(): void;
}

/** A recorded language client. */
export interface FakeClient {
  readonly id: string;
  readonly name: string;
  readonly serverOptions: unknown;
  readonly clientOptions: { documentSelector?: { scheme?: string; language?: string }[] };
  started: boolean;
  stopped: boolean;
  readonly requests: { method: string; params: unknown }[];
}

/** Everything the fake records, and the answers it gives. */
export const fake = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as { command: string; args: unknown[] }[],
  messages: [] as { kind: "error" | "warning" | "info"; text: string; items: string[] }[],
  /** Answers of the next information messages (the button the user clicks). */
  infoAnswers: [] as (string | undefined)[],
  quickPicks: [] as { items: readonly string[] }[],
  quickPickAnswers: [] as (string | undefined)[],
  openDialogs: [] as { title?: string; canSelectMany?: boolean }[],
  openDialogAnswers: [] as (Uri[] | undefined)[],
  clipboard: "",
  openedDocuments: [] as { content?: string; language?: string; uri?: Uri }[],
  /** Documents shown in an editor, with their text (read from the provider for virtual documents) and options. */
  shownDocuments: [] as { uri?: Uri; text?: string; options?: { viewColumn?: number; preserveFocus?: boolean; preview?: boolean; selection?: Range } }[],
  /** Registered text document content providers, by scheme. */
  providers: new Map<string, ContentProvider>(),
  /** URIs whose content providers said they changed. */
  changedUris: [] as string[],
  clients: [] as FakeClient[],
  /** Responses of the language server by method, or a function of the params; an Error rejects. */
  responses: new Map<string, unknown>(),
  activeDocument: undefined as { uri: Uri; languageId: string } | undefined,
  reset(): void {
    this.commands.clear();
    this.executed.length = 0;
    this.messages.length = 0;
    this.infoAnswers.length = 0;
    this.quickPicks.length = 0;
    this.quickPickAnswers.length = 0;
    this.openDialogs.length = 0;
    this.openDialogAnswers.length = 0;
    this.clipboard = "";
    this.openedDocuments.length = 0;
    this.shownDocuments.length = 0;
    this.providers.clear();
    this.changedUris.length = 0;
    this.clients.length = 0;
    this.responses.clear();
    this.activeDocument = undefined;
  },
};

const disposable = (): Disposable => ({ dispose() {} });

/** The fake `vscode` module. */
export const vscodeModule = {
  Uri,
  Range,
  EventEmitter,
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  commands: {
    registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
      if (fake.commands.has(id)) throw new Error(`command ${id} registered twice`);
      fake.commands.set(id, handler);
      return { dispose: () => fake.commands.delete(id) };
    },
    async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
      fake.executed.push({ command, args });
      return undefined;
    },
  },
  window: {
    get activeTextEditor() {
      return fake.activeDocument ? { document: fake.activeDocument } : undefined;
    },
    async showErrorMessage(text: string, ...items: string[]) {
      fake.messages.push({ kind: "error", text, items });
      return undefined;
    },
    async showWarningMessage(text: string, ...items: string[]) {
      fake.messages.push({ kind: "warning", text, items });
      return undefined;
    },
    async showInformationMessage(text: string, ...items: string[]) {
      fake.messages.push({ kind: "info", text, items });
      return fake.infoAnswers.shift();
    },
    async showQuickPick(items: readonly string[]) {
      fake.quickPicks.push({ items });
      return fake.quickPickAnswers.shift();
    },
    async showOpenDialog(options: { title?: string; canSelectMany?: boolean }) {
      fake.openDialogs.push(options);
      return fake.openDialogAnswers.shift();
    },
    async showTextDocument(doc: { uri?: Uri; text?: string }, options?: (typeof fake.shownDocuments)[number]["options"]) {
      fake.shownDocuments.push({ ...doc, ...(options ? { options } : {}) });
      return { document: doc };
    },
  },
  workspace: {
    async openTextDocument(arg: { content?: string; language?: string } | Uri) {
      const provider = arg instanceof Uri ? fake.providers.get(arg.scheme) : undefined;
      const doc = arg instanceof Uri ? { uri: arg, ...(provider ? { text: provider.provideTextDocumentContent(arg) } : {}) } : arg;
      fake.openedDocuments.push(doc);
      return doc;
    },
    registerTextDocumentContentProvider(scheme: string, provider: ContentProvider): Disposable {
      if (fake.providers.has(scheme)) throw new Error(`a content provider for ${scheme} registered twice`);
      fake.providers.set(scheme, provider);
      const listening = provider.onDidChange?.((uri) => fake.changedUris.push(uri.toString()));
      return {
        dispose: () => {
          listening?.dispose();
          fake.providers.delete(scheme);
        },
      };
    },
  },
  env: {
    clipboard: {
      async writeText(s: string) {
        fake.clipboard = s;
      },
    },
  },
  Disposable: { from: () => disposable() },
};

/** The fake `vscode-languageclient/node` module. */
export const languageClientModule = {
  TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
  LanguageClient: class {
    private readonly record: FakeClient;
    constructor(id: string, name: string, serverOptions: unknown, clientOptions: FakeClient["clientOptions"]) {
      this.record = { id, name, serverOptions, clientOptions, started: false, stopped: false, requests: [] };
      fake.clients.push(this.record);
    }
    async start(): Promise<void> {
      this.record.started = true;
    }
    async stop(): Promise<void> {
      this.record.stopped = true;
    }
    async sendRequest(method: string, params: unknown): Promise<unknown> {
      this.record.requests.push({ method, params });
      const r = fake.responses.get(method);
      const value = typeof r === "function" ? (r as (p: unknown) => unknown)(params) : r;
      if (value instanceof Error) throw value;
      if (value === undefined) throw new Error(`no fake response for ${method}`);
      return value;
    }
  },
};
