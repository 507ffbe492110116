// The issuer's state directory (keys, users, token families survive a restart, as a real pool's do). Secrets
// live here: the directory is 0700 and every file 0600, written atomically by local/state-file.ts, so a crash
// mid-write never leaves half a file. A file that cannot be read is a clear error at start.
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../state-file.ts';

export class StateDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateDirError';
  }
}

const NAME = /^[a-z][a-z0-9-]*\.json$/;

export class StateDir {
  private constructor(readonly path: string) {}

  /** Creates the directory if needed and makes it private to this user. */
  static async open(path: string): Promise<StateDir> {
    if (typeof path !== 'string' || path.trim() === '') {
      throw new StateDirError('Issuer option stateDir must be a directory path');
    }
    try {
      await ensurePrivateDir(path);
      if (!statSync(path).isDirectory()) throw new StateDirError(`Issuer state directory ${path} is not a directory`);
    } catch (err) {
      if (err instanceof StateDirError) throw err;
      throw new StateDirError(`Issuer state directory ${path} cannot be used: ${(err as Error).message}`);
    }
    return new StateDir(path);
  }

  /** The parsed JSON of a file, or undefined when it does not exist yet. */
  read(name: string): unknown {
    const file = this.file(name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateDirError(`Issuer state file ${file} cannot be read: ${(err as Error).message}`);
    }
    try {
      chmodSync(file, 0o600); // a copied-in file may have come with looser permissions
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new StateDirError(
        `Issuer state file ${file} is not valid JSON (${(err as Error).message}); remove the directory to start fresh (make local-reset)`,
      );
    }
  }

  async write(name: string, value: unknown): Promise<void> {
    const file = this.file(name);
    try {
      await writePrivateFile(file, JSON.stringify(value));
    } catch (err) {
      throw new StateDirError(`Issuer state file ${file} cannot be written: ${(err as Error).message}`);
    }
  }

  private file(name: string): string {
    if (!NAME.test(name)) throw new StateDirError(`bad state file name ${name}`);
    return join(this.path, name);
  }
}
