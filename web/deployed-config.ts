// `make web`: the WebConfig of a deployed stack, from `terraform output -json` or from a JSON file given with
// --config. Every failure is an Error whose message says what to do; nothing here starts a server.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { parseWebConfig, WebConfigError, type WebConfig } from './src/config.ts';
import { isRecord } from '../shared/guards.ts';
import { unwrapTerraformOutputs } from '../shared/terraform-outputs.ts';

export class DeployedConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeployedConfigError';
  }
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}

function scopesOf(value: unknown): unknown {
  // A list, or one space-separated string (the form OAuth uses on the wire).
  return typeof value === 'string' ? value.split(/\s+/).filter((s) => s !== '') : value;
}

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];

/** Builds a WebConfig from parsed `terraform output -json`, naming every missing output at once. */
export function webConfigFromTerraformOutputs(json: unknown): WebConfig {
  const outputs = unwrapTerraformOutputs(json);
  if (!outputs.ok) {
    if (outputs.reason === 'not_an_object')
      throw new DeployedConfigError('terraform output -json did not return a JSON object');
    if (outputs.reason === 'no_outputs')
      throw new DeployedConfigError(
        'terraform has no outputs: apply the stack first (cd terraform && terraform apply), or pass --config <file.json>',
      );
    throw new DeployedConfigError(
      `terraform output ${outputs.name} is not in the { value, type, sensitive } shape of \`terraform output -json\``,
    );
  }
  const output = outputs.values;
  const values = {
    websocketUrl: output['websocket_url'],
    hostedUiUrl: output['hosted_ui_url'],
    clientId: output['client_id'],
    redirectUri: output['redirect_uri'] ?? firstOf(output['callback_urls']),
    logoutUri: output['logout_uri'] ?? firstOf(output['logout_urls']),
    scopes: scopesOf(output['scopes']),
    tokenQueryParam: output['token_query_param'],
  };
  const missing: string[] = [];
  if (values.websocketUrl == null) missing.push('websocket_url');
  if (values.hostedUiUrl == null) missing.push('hosted_ui_url');
  if (values.clientId == null) missing.push('client_id');
  if (values.redirectUri == null) missing.push('redirect_uri (or callback_urls)');
  if (missing.length > 0) {
    throw new DeployedConfigError(
      `terraform outputs missing or null: ${missing.join(', ')}. Apply the stack with these outputs (an existing user pool needs existing_hosted_ui_url), or pass --config <file.json>`,
    );
  }
  const candidate: Record<string, unknown> = {
    websocketUrl: values.websocketUrl,
    hostedUiUrl: values.hostedUiUrl,
    clientId: values.clientId,
    redirectUri: values.redirectUri,
    // Cognito accepts the callback URL as sign-out URL only when registered as one; the root registers it so.
    logoutUri: values.logoutUri ?? values.redirectUri,
    scopes: values.scopes ?? DEFAULT_SCOPES,
  };
  if (values.tokenQueryParam != null) candidate['tokenQueryParam'] = values.tokenQueryParam;
  return validated(candidate, 'terraform output');
}

function validated(candidate: unknown, source: string): WebConfig {
  try {
    return parseWebConfig(candidate);
  } catch (err) {
    if (err instanceof WebConfigError) throw new DeployedConfigError(`${source}: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * A --config file: a WebConfig object, the saved output of `terraform output -json`, or the local stack's
 * .local/stack.json (which has no logoutUri or scopes: its redirect URI is also its sign-out URL).
 */
export function webConfigFromFile(json: unknown, file: string): WebConfig {
  if (!isRecord(json)) throw new DeployedConfigError(`${file}: expected a JSON object`);
  if (isRecord(json['websocket_url'])) return webConfigFromTerraformOutputs(json);
  const candidate: Record<string, unknown> = { ...json };
  candidate['logoutUri'] ??= json['redirectUri'];
  candidate['scopes'] ??= DEFAULT_SCOPES;
  return validated(
    Object.fromEntries(
      ['hostedUiUrl', 'clientId', 'websocketUrl', 'redirectUri', 'logoutUri', 'scopes', 'tokenQueryParam']
        .filter((k) => candidate[k] !== undefined)
        .map((k) => [k, candidate[k]]),
    ),
    file,
  );
}

export async function readConfigFile(file: string): Promise<WebConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DeployedConfigError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? String(err)})`,
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DeployedConfigError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
  return webConfigFromFile(json, file);
}

export type RunCommand = (command: string, args: string[]) => Promise<{ stdout: string; stderr: string }>;

export const runCommand: RunCommand = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err)
        reject(Object.assign(new Error(err.message, { cause: err }), { code: err.code, killed: err.killed, stderr }));
      else resolve({ stdout, stderr });
    });
  });

/** Runs `terraform -chdir=<dir> output -json` and builds the WebConfig from it. */
export async function readTerraformOutputs(dir: string, run: RunCommand = runCommand): Promise<WebConfig> {
  let stdout: string;
  try {
    ({ stdout } = await run('terraform', [`-chdir=${dir}`, 'output', '-json']));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (e.code === 'ENOENT')
      throw new DeployedConfigError(
        'terraform is not installed or not on PATH: install Terraform, or pass --config <file.json>',
        { cause: err },
      );
    if (e.killed) throw new DeployedConfigError('terraform output -json did not finish within 60 s', { cause: err });
    const detail = (e.stderr ?? '')
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(0, 3)
      .join(' ')
      .slice(0, 400);
    throw new DeployedConfigError(
      `terraform -chdir=${dir} output -json failed${detail ? `: ${detail}` : ''}. Run terraform init and apply first, or pass --config <file.json>`,
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (err) {
    throw new DeployedConfigError('terraform output -json did not print JSON', { cause: err });
  }
  return webConfigFromTerraformOutputs(json);
}

export interface ServeArgs {
  configFile?: string;
  terraformDir: string;
  port: number;
}

/**
 * `--config <file>` / `--config=<file>`, `--terraform-dir <dir>`; the port comes from WEB_PORT (default 3000).
 * WEB_CONFIG=<file> is --config for `make web`, whose recipe takes no arguments; --config wins.
 */
export function parseServeArgs(argv: string[], env: Record<string, string | undefined>): ServeArgs {
  const args: ServeArgs = { terraformDir: 'terraform', port: 3000 };
  const fromEnv = env['WEB_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') args.configFile = fromEnv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new DeployedConfigError(`${name} needs a value`);
      return v;
    };
    if (name === '--config') args.configFile = value();
    else if (name === '--terraform-dir') args.terraformDir = value();
    else
      throw new DeployedConfigError(
        `unknown argument ${JSON.stringify(arg)} (use --config <file.json> or --terraform-dir <dir>)`,
      );
  }
  const rawPort = env['WEB_PORT'];
  if (rawPort !== undefined && rawPort !== '') {
    if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65535)
      throw new DeployedConfigError(`WEB_PORT must be a port number from 0 to 65535, got ${JSON.stringify(rawPort)}`);
    args.port = Number(rawPort);
  }
  return args;
}
