// The second plan after an apply must be empty except for what moto fails to store or return. This reads a plan
// (`terraform show -json`) into its differences and splits them into known emulator gaps and everything else.
import type { EmulatorGap } from './gaps.ts';

export interface PlanDifference {
  address: string;
  type: string;
  actions: string[];
  /** Top-level attributes that differ (empty for create/delete, where the whole resource differs). */
  attributes: string[];
}

interface ResourceChange {
  address?: unknown;
  type?: unknown;
  mode?: unknown;
  change?: { actions?: unknown; before?: unknown; after?: unknown; after_unknown?: unknown };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function unknownAnywhere(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(unknownAnywhere);
  if (isRecord(value)) return Object.values(value).some(unknownAnywhere);
  return false;
}

/** Every managed resource the plan would change, with the attributes that differ. */
export function planDifferences(plan: unknown): PlanDifference[] {
  if (!isRecord(plan)) throw new Error('plan JSON is not an object');
  const changes = Array.isArray(plan.resource_changes) ? (plan.resource_changes as ResourceChange[]) : [];
  const out: PlanDifference[] = [];
  for (const rc of changes) {
    if (rc.mode !== 'managed') continue;
    const actions = Array.isArray(rc.change?.actions) ? rc.change.actions.map(String) : [];
    if (actions.length === 0 || actions.every((a) => a === 'no-op' || a === 'read')) continue;
    const before = isRecord(rc.change?.before) ? rc.change.before : {};
    const after = isRecord(rc.change?.after) ? rc.change.after : {};
    const afterUnknown = isRecord(rc.change?.after_unknown) ? rc.change.after_unknown : {};
    const attributes =
      actions.length === 1 && actions[0] === 'update'
        ? [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(afterUnknown)])]
            .filter((k) => unknownAnywhere(afterUnknown[k]) || !deepEqual(before[k], after[k]))
            .sort()
        : [];
    out.push({ address: String(rc.address), type: String(rc.type), actions, attributes });
  }
  return out;
}

export interface PlanVerdict {
  /** Differences fully explained by known gaps, with the gap ids that explain them. */
  explained: Array<{ difference: PlanDifference; gapIds: string[] }>;
  /** Anything else: each one fails the rehearsal. */
  unexplained: PlanDifference[];
}

/** An update is explained when every differing attribute is a known gap of that resource type. */
export function judgePlan(differences: PlanDifference[], gaps: readonly EmulatorGap[]): PlanVerdict {
  const verdict: PlanVerdict = { explained: [], unexplained: [] };
  for (const difference of differences) {
    const isUpdate = difference.actions.length === 1 && difference.actions[0] === 'update';
    const gapIds: string[] = [];
    const allKnown =
      isUpdate &&
      difference.attributes.length > 0 &&
      difference.attributes.every((attribute) => {
        const gap = gaps.find((g) => g.resourceType === difference.type && g.attribute === attribute);
        if (gap && !gapIds.includes(gap.id)) gapIds.push(gap.id);
        return gap !== undefined;
      });
    if (allKnown) verdict.explained.push({ difference, gapIds });
    else verdict.unexplained.push(difference);
  }
  return verdict;
}

export function describeDifference(d: PlanDifference): string {
  const what = d.attributes.length > 0 ? ` (${d.attributes.join(', ')})` : '';
  return `${d.address}: ${d.actions.join('+')}${what}`;
}
