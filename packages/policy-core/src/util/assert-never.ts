/** Marks a switch as exhaustive: compiling fails when a case is missing. */
export function assertNever(value: never): never {
  throw new TypeError(`unexpected value: ${JSON.stringify(value)}`);
}
