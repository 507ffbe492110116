#!/usr/bin/env node
// `npm test` on a fresh clone: install the locked dependencies first when they are missing or older than the lock.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';

const stamp = 'node_modules/.package-lock.json';
const stale = !existsSync(stamp) || statSync(stamp).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  console.log('dependencies missing or stale: running npm ci');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
