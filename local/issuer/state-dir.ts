// The issuer's state directory (keys, users, token families survive a restart, as a real pool's do). Secrets
// live here, so the directory is 0700 and every file 0600, written atomically (a temporary file renamed over the
// old one) so a crash mid-write never leaves half a file. A file that cannot be read is a clear error at start.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  static open(path: string): StateDir {
    if (typeof path !== 'string' || path.trim() === '')
      throw new StateDirError('Issuer option stateDir must be a directory path');
    try {
      mkdirSync(path, { recursive: true, mode: 0o700 });
      if (!statSync(path).isDirectory()) throw new StateDirError(`Issuer state directory ${path} is not a directory`);
      chmodSync(path, 0o700);
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

  write(name: string, value: unknown): void {
    const file = this.file(name);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify(value), { mode: 0o600 });
      chmodSync(temporary, 0o600); // the mode above is masked by umask; this is not
      renameSync(temporary, file);
    } catch (err) {
      rmSync(temporary, { force: true });
      throw new StateDirError(`Issuer state file ${file} cannot be written: ${(err as Error).message}`);
    }
  }

  private file(name: string): string {
    if (!NAME.test(name)) throw new StateDirError(`bad state file name ${name}`);
    return join(this.path, name);
  }
}
