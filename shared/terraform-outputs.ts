// `terraform output -json` prints `{ name: { value, type, sensitive } }`. One reader of that shape for every
// tool that takes a deployed stack's outputs (`make web`, the CLI scripts); each says in its own words what to do.
import { isRecord } from './guards.ts';

export type TerraformOutputs =
  | { ok: true; values: Record<string, unknown> }
  | { ok: false; reason: 'not_an_object' }
  | { ok: false; reason: 'no_outputs' }
  | { ok: false; reason: 'not_an_output'; name: string };

/** The value of every output, or why the text's JSON is not what `terraform output -json` prints. */
export function unwrapTerraformOutputs(json: unknown): TerraformOutputs {
  if (!isRecord(json)) return { ok: false, reason: 'not_an_object' };
  const entries = Object.entries(json);
  if (entries.length === 0) return { ok: false, reason: 'no_outputs' };
  const values: Record<string, unknown> = {};
  for (const [name, entry] of entries) {
    if (!isRecord(entry) || !('value' in entry)) return { ok: false, reason: 'not_an_output', name };
    values[name] = entry['value'];
  }
  return { ok: true, values };
}
