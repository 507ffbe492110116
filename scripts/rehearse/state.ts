// Reading the local state file (format 4) directly: cheaper than `terraform show -json`, which starts the
// provider for its schema. Answers the managed resources an apply left and the root outputs.
export interface StateResource {
  address: string;
  type: string;
  attributes: Record<string, unknown>;
}

interface RawState {
  version?: unknown;
  outputs?: Record<string, { value?: unknown }>;
  resources?: Array<{
    module?: string;
    mode?: string;
    type?: string;
    name?: string;
    instances?: Array<{ index_key?: string | number; attributes?: Record<string, unknown> }>;
  }>;
}

function parse(state: unknown): RawState {
  const raw = (typeof state === 'string' ? JSON.parse(state) : state) as RawState | null;
  if (raw === null || typeof raw !== 'object' || raw.version !== 4) throw new Error('not a version 4 Terraform state');
  return raw;
}

/** Every managed resource instance of the state, child modules included. */
export function managedResources(state: unknown): StateResource[] {
  const out: StateResource[] = [];
  for (const r of parse(state).resources ?? []) {
    if (r.mode !== 'managed') continue;
    for (const instance of r.instances ?? []) {
      const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      const base = `${r.type}.${r.name}${key}`;
      out.push({
        address: r.module ? `${r.module}.${base}` : base,
        type: String(r.type),
        attributes: instance.attributes ?? {},
      });
    }
  }
  return out;
}

/** The root module's output values. */
export function stateOutputs(state: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parse(state).outputs ?? {}).map(([k, v]) => [k, v.value]));
}
