// The gateway's ids and request times (local/gateway/ids.ts).
import { expect } from 'chai';
import { formatRequestTime, newApiId, newAwsId, newTraceId } from '../../../../local/gateway/ids.ts';

describe('gateway ids', () => {
  it('makes 16-character base64 ids ending in "=" like API Gateway connection ids', () => {
    for (let i = 0; i < 50; i += 1) expect(newAwsId()).to.match(/^[A-Za-z0-9+/]{15}=$/);
  });
  it('makes 10-character lowercase api ids and Root=1- trace ids', () => {
    expect(newApiId()).to.match(/^[a-z0-9]{10}$/);
    expect(newTraceId(1674162806344)).to.match(/^Root=1-63c9b276-[0-9a-f]{24}$/);
  });
  it('formats requestTime as API Gateway does', () => {
    expect(formatRequestTime(Date.UTC(2023, 0, 19, 21, 13, 26))).to.equal('19/Jan/2023:21:13:26 +0000');
    expect(formatRequestTime(Date.UTC(2024, 11, 1, 3, 4, 5))).to.equal('01/Dec/2024:03:04:05 +0000');
  });
});
