// Runs a module (e.g. web/serve-deployed.ts) and stops it when the process that started it exits: a SIGTERM
// to itself, so the module's own handler (or the default action) runs. Used by `make web`.
//   node --import tsx local/run-attached.ts <module.ts> [args...]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { watchParent } from './parent-watch.ts';

const [target, ...rest] = process.argv.slice(2);
if (target === undefined) {
  process.stderr.write('usage: node --import tsx local/run-attached.ts <module.ts> [args...]\n');
  process.exit(1);
}
process.argv = [process.argv[0] as string, path.resolve(target), ...rest];
// make passes SIGTERM on by itself; a second one would find the module's handler spent and kill outright.
watchParent((gone) => {
  if (gone.signal !== 'SIGTERM') process.kill(process.pid, 'SIGTERM');
});
await import(pathToFileURL(path.resolve(target)).href);
