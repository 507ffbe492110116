// A process started by make must stop when make is told to stop. make passes SIGTERM on to its child, but a
// SIGINT (or SIGHUP) sent to make's PID alone is not passed on: make blocks that signal while its handler
// waits for the child to exit, for ever. The Makefile starts node directly (`exec node --import tsx ...`), so
// make is this process's parent, and the watch below sees either event:
// - the parent pid changed (make is gone);
// - on Linux, make's /proc status shows SIGHUP, SIGINT or SIGTERM blocked: make is inside its fatal-signal
//   handler (it never blocks them otherwise; seen twice in a row to be sure).
import { readFileSync } from 'node:fs';

const FATAL_SIGNALS = [1, 2, 15]; // SIGHUP, SIGINT, SIGTERM

/** Reads the parent's command name; undefined off Linux or when it cannot be read. */
function parentCommand(ppid: number): string | undefined {
  try {
    return readFileSync(`/proc/${ppid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

const NAMES: Record<number, NodeJS.Signals> = { 1: 'SIGHUP', 2: 'SIGINT', 15: 'SIGTERM' };

/** The fatal signal the process's blocked-signal mask includes (the one its handler is running for), if any. */
export function blockedFatalSignal(status: string): NodeJS.Signals | undefined {
  const mask = /^SigBlk:\s*([0-9a-fA-F]+)$/m.exec(status)?.[1];
  if (mask === undefined) return undefined;
  const bits = BigInt(`0x${mask}`);
  const signal = FATAL_SIGNALS.find((n) => (bits & (1n << BigInt(n - 1))) !== 0n);
  return signal === undefined ? undefined : NAMES[signal];
}

export interface ParentGone {
  why: string;
  /** The signal make is handling, when that is how it was seen (make passes on SIGTERM itself). */
  signal?: NodeJS.Signals;
}

export function watchParent(onGone: (gone: ParentGone) => void, intervalMs = 100): () => void {
  const original = process.ppid;
  const isMake = /^g?make$/.test(parentCommand(original) ?? '');
  let suspicious = 0;
  const timer = setInterval(() => {
    if (process.ppid !== original) {
      clearInterval(timer);
      onGone({ why: 'parent process exited' });
      return;
    }
    if (!isMake) return;
    let status: string;
    try {
      status = readFileSync(`/proc/${original}/status`, 'utf8');
    } catch {
      return;
    }
    const signal = blockedFatalSignal(status);
    suspicious = signal === undefined ? 0 : suspicious + 1;
    if (signal !== undefined && suspicious >= 2) {
      clearInterval(timer);
      onGone({ why: `make received ${signal}`, signal });
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
