/** The share link: the state as JSON, deflate-raw compressed, base64url, in the URL fragment. */

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function encodeState(state: unknown): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(JSON.stringify(state)), new CompressionStream("deflate-raw")));
}

/** The state of a fragment `#s=…`; throws with a clear message when it is not one. */
export async function decodeState(fragment: string): Promise<unknown> {
  const m = /^#?s=([A-Za-z0-9_-]+)$/.exec(fragment);
  if (!m) throw new Error("the link's fragment is not a playground state (`#s=…`)");
  let bytes: Uint8Array;
  try {
    bytes = await pipe(fromBase64Url(m[1]!), new DecompressionStream("deflate-raw"));
  } catch {
    throw new Error("the link's state is damaged (it does not decompress)");
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new Error("the link's state is damaged (it is not JSON)");
  }
}

export { toBase64Url, fromBase64Url };
