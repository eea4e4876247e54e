/**
 * Reading policy files named on the command line: plain paths, `-` for standard input, and globs
 * (`*`, `?`, `**`, `{a,b}`), expanded here because Node 20 has no `fs.glob`.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { InputError, type CliIo } from "../command.js";

/** A file to process: its display path and its text. */
export interface SourceFile {
  /** The path as shown to the user (relative to the working directory when possible), or `<stdin>`. */
  readonly path: string;
  /** The absolute path, or undefined for standard input. */
  readonly absolutePath: string | undefined;
  readonly text: string;
}

const GLOB_CHARS = /[*?[{]/;

/** Converts a glob to a regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === "*") {
      if (glob.charAt(i + 1) === "*") {
        i++;
        if (glob.charAt(i + 1) === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end === -1) re += "\\{";
      else {
        re += "(?:" + glob.slice(i + 1, end).split(",").map(escapeRe).join("|") + ")";
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

async function walkDir(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === "node_modules" || e.name === ".git") continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walkDir(full, out);
    else if (e.isFile()) out.push(full);
  }
}

/**
 * Expands the operands into absolute file paths, in order, without duplicates. A directory
 * expands to the policy files below it (`defaultExtensions`). A glob that matches nothing and a
 * path that does not exist are errors.
 */
export async function expandOperands(
  operands: readonly string[],
  cwd: string,
  defaultExtensions: readonly string[] = [".policy", ".maapolicy", ".maa"],
): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };
  for (const op of operands) {
    if (op === "-") {
      add("-");
      continue;
    }
    if (GLOB_CHARS.test(op)) {
      const normalized = op.split(path.sep).join("/");
      const firstGlob = normalized.search(GLOB_CHARS);
      const baseEnd = normalized.lastIndexOf("/", firstGlob);
      const base = baseEnd === -1 ? "" : normalized.slice(0, baseEnd);
      const pattern = baseEnd === -1 ? normalized : normalized.slice(baseEnd + 1);
      const root = path.resolve(cwd, base || ".");
      const files: string[] = [];
      await walkDir(root, files);
      const re = globToRegExp(pattern);
      const matches = files
        .filter((f) => re.test(path.relative(root, f).split(path.sep).join("/")))
        .sort();
      if (matches.length === 0) throw new InputError(`${op}: no file matches this pattern`);
      matches.forEach(add);
      continue;
    }
    const abs = path.resolve(cwd, op);
    let st;
    try {
      st = await stat(abs);
    } catch (e) {
      throw new InputError(`${op}: ${describeFsError(e)}`);
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      await walkDir(abs, files);
      const found = files.filter((f) => defaultExtensions.some((ext) => f.endsWith(ext))).sort();
      if (found.length === 0) throw new InputError(`${op}: no policy files (${defaultExtensions.join(", ")}) in this directory`);
      found.forEach(add);
    } else add(abs);
  }
  return out;
}

/** A short, human description of a file-system error. */
export function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "EMFILE":
      return "too many open files";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** Reads a file (or standard input for `-`) as UTF-8 text, keeping a BOM and line endings. */
export async function readSource(p: string, io: CliIo): Promise<SourceFile> {
  if (p === "-") return { path: "<stdin>", absolutePath: undefined, text: await io.readStdin() };
  let buf: Buffer;
  try {
    buf = await readFile(p);
  } catch (e) {
    throw new InputError(`${displayPath(p, io.cwd)}: cannot read: ${describeFsError(e)}`);
  }
  return { path: displayPath(p, io.cwd), absolutePath: p, text: buf.toString("utf8") };
}

/** A path relative to `cwd` when it lies below it, else absolute. */
export function displayPath(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

/** A file read as bytes (evidence, runtime data, collateral): its display path and its contents. */
export interface BinaryFile {
  /** The path as shown to the user, or `<stdin>`. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Reads a file (or standard input for `-`) as bytes; a failure is an `InputError` naming the file. */
export async function readBinary(p: string, io: CliIo, what: string): Promise<BinaryFile> {
  if (p === "-") {
    const bytes = io.readStdinBytes ? await io.readStdinBytes() : new TextEncoder().encode(await io.readStdin());
    return { path: "<stdin>", bytes };
  }
  const abs = path.resolve(io.cwd, p);
  let buf: Buffer;
  try {
    buf = await readFile(abs);
  } catch (e) {
    throw new InputError(`${displayPath(abs, io.cwd)}: cannot read the ${what}: ${describeFsError(e)}`);
  }
  return { path: displayPath(abs, io.cwd), bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
}
