// Loads and saves the issuer's state files in its state directory: keys.json (signing keys), users.json (users
// with password hashes) and grants.json (token families, refresh-token digests, redeemed codes). Each file names
// its pool, so a directory is never silently reused for another pool. Revocations and user changes are queued
// at once; token issuance, which can be frequent (load tests) and rewrites the whole grants file, at most once a
// second. Writes run one at a time, each with the state as it is when it runs, and close() waits for them.
import { StateDir, StateDirError } from './state-dir.ts';

export type StateFile = 'keys' | 'users' | 'grants';
const FILES: readonly StateFile[] = ['keys', 'users', 'grants'];
const VERSION = 1;
const SAVE_DELAY_MS = 1000;

export type LoadedState = Partial<Record<StateFile, unknown>>;

export class IssuerState {
  private readonly pending = new Set<StateFile>();
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private sources: Partial<Record<StateFile, () => unknown>> = {};

  constructor(
    private readonly dir: StateDir,
    private readonly poolId: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Reads every file present. Throws a StateDirError naming the file when one is unusable. */
  load(): LoadedState {
    const loaded: LoadedState = {};
    for (const name of FILES) {
      const content = this.dir.read(`${name}.json`);
      if (content === undefined) continue;
      const file = `${this.dir.path}/${name}.json`;
      if (content === null || typeof content !== 'object')
        throw new StateDirError(`Issuer state file ${file} is not an object`);
      const record = content as Record<string, unknown>;
      if (record.version !== VERSION) throw new StateDirError(`Issuer state file ${file} has an unknown version`);
      if (record.poolId !== this.poolId) {
        throw new StateDirError(
          `Issuer state file ${file} belongs to pool ${String(record.poolId)}, not ${this.poolId}: use another directory, or remove it to start fresh (make local-reset)`,
        );
      }
      loaded[name] = record.data;
    }
    return loaded;
  }

  /** Where each file's content comes from when it is saved. */
  attach(sources: Record<StateFile, () => unknown>): void {
    this.sources = sources;
  }

  saveNow(name: StateFile): void {
    this.pending.delete(name);
    const source = this.sources[name];
    if (!source) return;
    this.queue = this.queue
      .then(() => this.dir.write(`${name}.json`, { version: VERSION, poolId: this.poolId, data: source() }))
      .catch((err: unknown) => this.onError(err)); // a full disk must not take sign-in down; the error is logged
  }

  saveSoon(name: StateFile): void {
    this.pending.add(name);
    this.timer ??= setTimeout(() => void this.flush(), SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Writes whatever is pending and resolves once every queued write is done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const name of [...this.pending]) this.saveNow(name);
    return this.queue;
  }
}
