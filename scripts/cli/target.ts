// Where the command-line tools find the stack: the local one (.local/stack.json, written by `make local`) or
// a deployed one (`terraform -chdir=<dir> output -json`). Every failure is a TargetError with a clear message.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { unwrapTerraformOutputs } from '../../shared/terraform-outputs.ts';

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface Target {
  kind: 'local' | 'deployed';
  websocketUrl: string;
  hostedUiUrl: string;
  clientId: string;
  redirectUri: string;
  scopes?: string[];
  tokenQueryParam: string;
  tokenHeader: string;
}

function str(source: Record<string, unknown>, key: string, where: string): string {
  const value = source[key];
  if (typeof value !== 'string' || value.length === 0) throw new TargetError(`${where} has no ${key}`);
  return value;
}

function absoluteUrl(value: string, name: string, where: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TargetError(`${where}: ${name} is not a URL`);
  }
  if (!protocols.includes(url.protocol)) throw new TargetError(`${where}: ${name} must use ${protocols.join(' or ')}`);
  return value;
}

/** Parses the contents of .local/stack.json. */
export function parseLocalConfig(text: string, where: string): Target {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TargetError(`${where} is not JSON`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new TargetError(`${where} is not a JSON object`);
  const record = raw as Record<string, unknown>;
  return {
    kind: 'local',
    websocketUrl: absoluteUrl(str(record, 'websocketUrl', where), 'websocketUrl', where, ['ws:', 'wss:']),
    hostedUiUrl: absoluteUrl(str(record, 'hostedUiUrl', where), 'hostedUiUrl', where, ['http:', 'https:']),
    clientId: str(record, 'clientId', where),
    redirectUri: absoluteUrl(str(record, 'redirectUri', where), 'redirectUri', where, ['http:', 'https:']),
    tokenQueryParam: 'token',
    tokenHeader: 'Authorization',
  };
}

export async function readLocalTarget(path: string): Promise<Target> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new TargetError(`${path} not found: start the local stack first (make local)`);
  }
  return parseLocalConfig(text, path);
}

/** The values of `terraform output -json`, by output name (the shared reader of that shape). */
export function terraformOutputValues(text: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TargetError('terraform output -json did not print JSON');
  }
  const outputs = unwrapTerraformOutputs(raw);
  if (outputs.ok) return outputs.values;
  switch (outputs.reason) {
    case 'not_an_object':
      throw new TargetError('terraform output -json did not print an object');
    case 'no_outputs':
      throw new TargetError('terraform output -json printed no outputs: run terraform apply first');
    case 'not_an_output':
      throw new TargetError(`terraform output ${outputs.name} has no value`);
  }
}

/** Parses `terraform output -json` into a WebSocket target. */
export function parseTerraformOutputs(text: string): Target {
  const values = terraformOutputValues(text);
  const where = 'terraform outputs';
  const scopes = values.scopes;
  return {
    kind: 'deployed',
    websocketUrl: absoluteUrl(str(values, 'websocket_url', where), 'websocket_url', where, ['ws:', 'wss:']),
    hostedUiUrl: absoluteUrl(str(values, 'hosted_ui_url', where), 'hosted_ui_url', where, ['http:', 'https:']),
    clientId: str(values, 'client_id', where),
    redirectUri: absoluteUrl(str(values, 'redirect_uri', where), 'redirect_uri', where, ['http:', 'https:']),
    ...(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string') ? { scopes: scopes } : {}),
    tokenQueryParam: typeof values.token_query_param === 'string' ? values.token_query_param : 'token',
    tokenHeader: typeof values.token_header === 'string' ? values.token_header : 'Authorization',
  };
}

export function readTerraformTarget(dir: string, terraformBin = 'terraform'): Promise<Target> {
  return terraformOutputJson(dir, terraformBin).then(parseTerraformOutputs);
}

/** Runs `terraform -chdir=<dir> output -json`; a TargetError says what went wrong. */
export function terraformOutputJson(dir: string, terraformBin = 'terraform'): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      terraformBin,
      [`-chdir=${dir}`, 'output', '-json'],
      { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new TargetError(
              missing
                ? `${terraformBin} not found on PATH`
                : `terraform output failed: ${stderr.trim().slice(0, 500) || err.message}`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}
