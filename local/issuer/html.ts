// HTML escaping for every value a page reflects. Escapes the five characters that matter in both text and
// quoted attribute contexts, so one function is safe everywhere the pages use it.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
