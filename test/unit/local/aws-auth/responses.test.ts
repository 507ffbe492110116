// Each service's error shape, as the SDK clients parse it, and the credentials generator.
import { expect } from 'chai';
import {
  authFailure,
  browserRefusal,
  generateCredentials,
  isLocalCredentials,
  SERVICES,
} from '../../../../local/aws-auth/index.ts';

describe('local/aws-auth responses', () => {
  it('API Gateway and Lambda: 403, x-amzn-ErrorType, {"message"}', () => {
    for (const service of [SERVICES.executeApi, SERVICES.lambda]) {
      const r = authFailure(service.protocol, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      expect(r.status).to.equal(403);
      expect(r.headers['x-amzn-ErrorType']).to.equal('MissingAuthenticationTokenException');
      expect(JSON.parse(r.body)).to.deep.equal({ message: 'Missing Authentication Token' });
      expect(r.headers['Content-Length']).to.equal(String(Buffer.byteLength(r.body)));
    }
  });

  it('DynamoDB: 400, JSON 1.0, coral-prefixed __type', () => {
    const r = authFailure(SERVICES.dynamodb.protocol, 'UnrecognizedClientException', 'x');
    expect(r.status).to.equal(400);
    expect(r.headers['Content-Type']).to.equal('application/x-amz-json-1.0');
    expect(JSON.parse(r.body)).to.deep.equal({
      __type: 'com.amazon.coral.service#UnrecognizedClientException',
      message: 'x',
    });
  });

  it('Cognito: 400, JSON 1.1, bare __type', () => {
    const r = authFailure(SERVICES.cognitoIdp.protocol, 'InvalidSignatureException', 'y');
    expect(r.status).to.equal(400);
    expect(r.headers['Content-Type']).to.equal('application/x-amz-json-1.1');
    expect(JSON.parse(r.body)).to.deep.equal({ __type: 'InvalidSignatureException', message: 'y' });
  });

  it('browser refusal: 403 on every service and never a CORS header', () => {
    for (const service of Object.values(SERVICES)) {
      const r = browserRefusal(service.protocol);
      expect(r.status).to.equal(403);
      const names = Object.keys(r.headers).map((h) => h.toLowerCase());
      expect(names.filter((h) => h.startsWith('access-control-'))).to.deep.equal([]);
    }
  });

  it('generated credentials differ per call and have the shape of AWS keys', () => {
    const a = generateCredentials();
    const b = generateCredentials();
    expect(a.accessKeyId).to.match(/^LOCAL[A-Z2-7]{15}$/);
    expect(a.secretAccessKey).to.have.length(40);
    expect(a.accessKeyId).to.not.equal(b.accessKeyId);
    expect(a.secretAccessKey).to.not.equal(b.secretAccessKey);
    expect(isLocalCredentials(a)).to.equal(true);
    expect(isLocalCredentials({ accessKeyId: '', secretAccessKey: 'x' })).to.equal(false);
    expect(isLocalCredentials(null)).to.equal(false);
  });
});
