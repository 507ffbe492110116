// Terraform for the rehearsal: a temporary copy of terraform/ with the moto provider override, an offline
// provider mirror when one is configured, and every command bounded in time.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const OVERRIDE_FILE = 'rehearsal_override.tf';
const WELL_KNOWN_MIRROR = '/opt/tf-plugins';

/** The provider override with every endpoint pointed at moto. */
export function renderOverride(template: string, endpoint: string): string {
  if (!/^http:\/\/[^\s"]+$/.test(endpoint)) throw new Error(`not an endpoint URL: ${endpoint}`);
  return template.split('@ENDPOINT@').join(endpoint);
}

/**
 * The CLI configuration, as scripts/tf-check.sh chooses it: TF_PROVIDER_MIRROR (a directory holding
 * registry.terraform.io, or `none` for the registry), else the image's mirror when present, else the registry
 * with a plugin cache shared by every directory of the run.
 */
export function cliConfig(
  env: NodeJS.ProcessEnv,
  hasRegistryDir: (dir: string) => boolean,
  cacheDir: string,
): { ok: true; text: string; note: string } | { ok: false; reason: string } {
  let mirror = env.TF_PROVIDER_MIRROR ?? '';
  if (mirror === '' && hasRegistryDir(WELL_KNOWN_MIRROR)) mirror = WELL_KNOWN_MIRROR;
  if (mirror === 'none') mirror = '';
  if (mirror !== '' && !hasRegistryDir(mirror)) {
    return { ok: false, reason: `TF_PROVIDER_MIRROR=${mirror} does not contain registry.terraform.io/` };
  }
  if (mirror !== '') {
    return {
      ok: true,
      note: `provider mirror ${mirror}`,
      text: `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`,
    };
  }
  return { ok: true, note: 'registry', text: `plugin_cache_dir = ${JSON.stringify(cacheDir)}\n` };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TerraformError extends Error {
  constructor(
    readonly args: string[],
    readonly result: RunResult,
  ) {
    const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-25).join('\n');
    super(`terraform ${args[0]} failed (exit ${result.code}) in the rehearsal:\n${tail}`);
    this.name = 'TerraformError';
  }
}

export class Terraform {
  constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Runs terraform with the given arguments; `okCodes` lists the exit codes that are not failures. */
  run(args: string[], timeoutMs: number, okCodes: number[] = [0]): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('terraform', args, { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => {
        // SIGINT first: terraform then releases the state and stops its providers.
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        stderr += `\n(timed out after ${timeoutMs} ms)`;
      }, timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        const result = { code: code ?? 1, stdout, stderr };
        if (okCodes.includes(result.code)) resolve(result);
        else reject(new TerraformError(args, result));
      });
    });
  }

  async init(): Promise<void> {
    await this.run(['init', '-backend=false', '-input=false', '-no-color'], 120_000);
  }

  async apply(): Promise<void> {
    await this.run(['apply', '-auto-approve', '-input=false', '-no-color'], 300_000);
  }

  /** Saved plan as JSON (`terraform show -json`). */
  async plan(): Promise<unknown> {
    await this.run(['plan', '-input=false', '-no-color', '-out=rehearsal.tfplan'], 180_000);
    const shown = await this.run(['show', '-json', '-no-color', 'rehearsal.tfplan'], 60_000);
    return JSON.parse(shown.stdout) as unknown;
  }

  /** The local state file as parsed JSON. */
  state(): unknown {
    return JSON.parse(readFileSync(path.join(this.dir, 'terraform.tfstate'), 'utf8')) as unknown;
  }

  /** Destroys and answers how many resources terraform reports destroyed. */
  async destroy(): Promise<number> {
    // The plan just before has refreshed everything: no second refresh.
    const result = await this.run(['destroy', '-auto-approve', '-input=false', '-no-color', '-refresh=false'], 300_000);
    const match = /Destroy complete! Resources: (\d+) destroyed/.exec(result.stdout);
    if (!match)
      throw new Error(`terraform destroy printed no "Destroy complete!" line:\n${result.stdout.slice(-2000)}`);
    return Number(match[1]);
  }

  /** Forgets resources without destroying them (`terraform state rm`). */
  async forget(addresses: string[]): Promise<void> {
    if (addresses.length > 0) await this.run(['state', 'rm', '-no-color', ...addresses], 60_000);
  }

  writeVars(vars: Record<string, unknown>): void {
    writeFileSync(path.join(this.dir, 'rehearsal.auto.tfvars.json'), JSON.stringify(vars, null, 2));
  }
}

/** Copies terraform/ without local state, caches or user variables. */
export function copyConfiguration(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  cpSync(source, target, {
    recursive: true,
    filter: (src) => {
      const base = path.basename(src);
      if (base === '.terraform' || base === '.terraform.lock.hcl' || base === 'terraform.tfvars') return false;
      if (base.endsWith('.tfstate') || base.endsWith('.tfstate.backup') || base.endsWith('.auto.tfvars')) return false;
      return !base.endsWith('_override.tf');
    },
  });
}

export function writeOverride(dir: string, template: string, endpoint: string): void {
  if (!existsSync(dir)) throw new Error(`no such configuration directory: ${dir}`);
  writeFileSync(path.join(dir, OVERRIDE_FILE), renderOverride(template, endpoint));
}

export function readTemplate(file: string): string {
  return readFileSync(file, 'utf8');
}
