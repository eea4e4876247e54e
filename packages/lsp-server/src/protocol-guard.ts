/**
 * Answers what the JSON-RPC library would otherwise only log: a message that is not JSON gets a
 * `ParseError` (-32700) response, and a message that is neither a request, a response nor a
 * notification gets an `InvalidRequest` (-32600) response, both with `id: null` (or the
 * message's id), as JSON-RPC 2.0 asks.
 */
import type { DataCallback, Disposable, Message, MessageReader, MessageWriter } from "vscode-languageserver/node.js";

function errorResponse(id: number | string | null, code: number, message: string): Message {
  return { jsonrpc: "2.0", id, error: { code, message } } as Message;
}

/** Wraps `reader` so that malformed messages are answered through `writer`. */
export function guardReader(reader: MessageReader, writer: MessageWriter): MessageReader {
  reader.onError((e) => {
    const message = e instanceof SyntaxError ? `parse error: ${e.message}` : `invalid message: ${e.message.split("\n")[0] ?? ""}`;
    void writer.write(errorResponse(null, -32700, message)).catch(() => undefined);
  });
  return {
    onError: reader.onError,
    onClose: reader.onClose,
    onPartialMessage: reader.onPartialMessage,
    dispose: () => reader.dispose(),
    listen(callback: DataCallback): Disposable {
      return reader.listen((msg) => {
        const m = msg as unknown as Record<string, unknown>;
        const isObject = typeof msg === "object" && msg !== null && !Array.isArray(msg);
        const hasMethod = isObject && typeof m["method"] === "string";
        const isResponse = isObject && "id" in m && ("result" in m || "error" in m);
        if (!hasMethod && !isResponse) {
          const rawId = isObject ? m["id"] : undefined;
          const id = typeof rawId === "number" || typeof rawId === "string" ? rawId : null;
          void writer.write(errorResponse(id, -32600, "invalid request: a request needs a `method`")).catch(() => undefined);
          return;
        }
        callback(msg);
      });
    },
  };
}
