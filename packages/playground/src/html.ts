/** Text made safe to put in HTML, in content or in a quoted attribute value (the pages build some markup as strings). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
