// Resources the rehearsal makes in moto before an apply, for services whose SDK client the repository does not
// install (KMS, SNS): moto answers their plain JSON and query protocols without checking signatures, and takes
// the region from the credential scope.
function authorization(region: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=rehearsal/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

async function call(endpoint: string, init: RequestInit): Promise<string> {
  const res = await fetch(endpoint, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

export async function createKmsKey(endpoint: string, region: string): Promise<string> {
  const text = await call(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'TrentService.CreateKey',
      Authorization: authorization(region, 'kms'),
    },
    body: JSON.stringify({ Description: 'rehearsal: customer key of the connections table' }),
  });
  const arn = (JSON.parse(text) as { KeyMetadata?: { Arn?: string } }).KeyMetadata?.Arn;
  if (!arn) throw new Error('moto CreateKey returned no key ARN');
  return arn;
}

export async function createTopic(endpoint: string, region: string, name: string): Promise<string> {
  const text = await call(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: authorization(region, 'sns') },
    body: new URLSearchParams({ Action: 'CreateTopic', Name: name, Version: '2010-03-31' }).toString(),
  });
  const arn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(text)?.[1];
  if (!arn) throw new Error('moto CreateTopic returned no topic ARN');
  return arn;
}
