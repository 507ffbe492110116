// The CLI argument parser (scripts/cli/args.ts).
import { expect } from 'chai';
import { ArgsError, exclusive, parseArgs, positiveInt } from '../../../../scripts/cli/args.ts';

describe('CLI args', () => {
  it('parses known flags, refuses unknown ones, missing values and conflicting choices', () => {
    const spec = { booleans: ['id', 'json'], values: ['config'] };
    const parsed = parseArgs(['--id', '--config=a.json'], spec);
    expect([...parsed.flags]).to.deep.equal(['id']);
    expect(parsed.values.get('config')).to.equal('a.json');
    expect(() => parseArgs(['--nope'], spec)).to.throw(ArgsError, /unknown option --nope/);
    expect(() => parseArgs(['--config'], spec)).to.throw(ArgsError, /needs a value/);
    expect(() => parseArgs(['x'], spec)).to.throw(ArgsError, /unexpected argument/);
    expect(() => exclusive(parseArgs(['--id', '--json'], spec), ['id', 'json'])).to.throw(ArgsError, /choose one/);
    expect(() => positiveInt(parseArgs([], { booleans: [], values: ['n'] }), 'n', 5, 10)).to.not.throw();
    expect(() => positiveInt(parseArgs(['--n', '0'], { booleans: [], values: ['n'] }), 'n', 5, 10)).to.throw(ArgsError);
  });
});
