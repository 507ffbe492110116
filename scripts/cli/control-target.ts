// Where scripts/control.ts sends its payloads: the local stack's Lambda Invoke endpoint and issuer (from
// .local/stack.json, signed with the stack's per-run credentials), or a deployed stack (terraform outputs, the
// caller's own AWS credentials from the default provider chain).
import { readFile } from 'node:fs/promises';
import { TargetError, terraformOutputJson, terraformOutputValues } from './target.ts';

export interface ControlTarget {
  kind: 'local' | 'deployed';
  region: string;
  userPoolId: string;
  controlFunction: string;
  /** Local only: endpoints and the credentials every local AWS-API endpoint verifies. */
  lambdaEndpoint?: string;
  cognitoEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TargetError(`${where} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function text(source: Record<string, unknown>, key: string, where: string): string {
  const value = source[key];
  if (typeof value !== 'string' || value.length === 0) throw new TargetError(`${where} has no ${key}`);
  return value;
}

function httpUrl(value: string, name: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TargetError(`${where}: ${name} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetError(`${where}: ${name} must be http(s)`);
  return value;
}

function parseJson(content: string, where: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    throw new TargetError(`${where} is not JSON`);
  }
}

/** Parses .local/stack.json for the control CLI. */
export function parseLocalControlTarget(content: string, where: string): ControlTarget {
  const config = record(parseJson(content, where), where);
  const names = record(config.functionNames ?? null, `${where} functionNames`);
  const credentials = record(config.credentials ?? null, `${where} credentials`);
  return {
    kind: 'local',
    region: text(config, 'region', where),
    userPoolId: text(config, 'userPoolId', where),
    controlFunction: text(names, 'control', `${where} functionNames`),
    lambdaEndpoint: httpUrl(text(config, 'lambdaEndpoint', where), 'lambdaEndpoint', where),
    cognitoEndpoint: httpUrl(text(config, 'hostedUiUrl', where), 'hostedUiUrl', where),
    credentials: {
      accessKeyId: text(credentials, 'accessKeyId', `${where} credentials`),
      secretAccessKey: text(credentials, 'secretAccessKey', `${where} credentials`),
    },
  };
}

export async function readLocalControlTarget(file: string): Promise<ControlTarget> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch {
    throw new TargetError(`${file} not found: start the local stack first (make local)`);
  }
  return parseLocalControlTarget(content, file);
}

/** Parses `terraform output -json` for the control CLI. */
export function parseTerraformControlTarget(content: string): ControlTarget {
  const values = terraformOutputValues(content);
  const where = 'terraform outputs';
  return {
    kind: 'deployed',
    region: text(values, 'region', where),
    userPoolId: text(values, 'user_pool_id', where),
    controlFunction: text(values, 'control_function_name', where),
  };
}

/** Runs `terraform -chdir=<dir> output -json` and reads the control target from it. */
export function readTerraformControlTarget(dir: string, terraformBin = 'terraform'): Promise<ControlTarget> {
  return terraformOutputJson(dir, terraformBin).then(parseTerraformControlTarget);
}
