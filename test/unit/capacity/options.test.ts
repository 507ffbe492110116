import { expect } from 'chai';
import { ArgsError, parseArgs } from '../../../scripts/cli/args.ts';
import { inputsFromArgs, MODEL_VALUE_FLAGS } from '../../../scripts/capacity/options.ts';
import { parseBackoff, stormOptionsFromArgs, STORM_VALUE_FLAGS } from '../../../scripts/capacity/storm-options.ts';
import { FIGURES } from '../../../scripts/capacity/figures.ts';

const parse = (argv: string[]) =>
  parseArgs(argv, { booleans: ['json'], values: [...MODEL_VALUE_FLAGS, ...STORM_VALUE_FLAGS] });

describe('capacity: command-line inputs', () => {
  it('maps every flag onto the inputs, over the preset', () => {
    const inp = inputsFromArgs(
      parse([
        '--workload=notifications',
        '--users',
        '5000',
        '--push-fanout',
        '3',
        '--warm-ms',
        'connect=20,default=30',
        '--revocation-check',
        'on',
        '--set',
        'apigwNewConnectionsPerSecond=2000,lambdaConcurrency=3000',
        '--architecture',
        'x86_64',
      ]),
    );
    expect(inp.users).to.equal(5000);
    expect(inp.workload.name).to.equal('notifications');
    expect(inp.workload.pushFanout).to.equal(3);
    expect(inp.functions.connect.warmMs).to.equal(20);
    expect(inp.functions.default.warmMs).to.equal(30);
    expect(inp.revocationCheck).to.equal(true);
    expect(inp.figures.apigwNewConnectionsPerSecond).to.equal(2000);
    expect(inp.figures.lambdaConcurrency).to.equal(3000);
    expect(inp.architecture).to.equal('x86_64');
    // The preset itself is untouched for the next run.
    expect(inputsFromArgs(parse(['--workload', 'notifications'])).workload.pushFanout).to.equal(2);
  });

  it('refuses bad values with an error naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--users', 'abc'], /--users must be a number/],
      [['--users', '0'], /--users must be a number from 1/],
      [['--workload', 'gaming'], /--workload must be one of chat, notifications/],
      [['--revocation-check', 'yes'], /--revocation-check must be on or off/],
      [['--warm-ms', 'nosuch=1'], /--warm-ms: unknown name "nosuch"/],
      [['--warm-ms', 'connect=-1'], /--warm-ms takes name=value pairs/],
      [['--set', 'price=1'], /--set: unknown name "price"/],
      [['--set', 'lambdaConcurrency'], /--set takes name=value pairs/],
      [['--cold-start-share', '2'], /--cold-start-share must be a number from 0 to 1/],
    ];
    for (const [argv, message] of bad)
      expect(() => inputsFromArgs(parse(argv)), argv.join(' ')).to.throw(ArgsError, message);
  });

  it('parses the storm flags and refuses a nonsensical back-off', () => {
    const { options, compare } = stormOptionsFromArgs(
      parse(['--clients', '2000', '--seed', '9', '--spread-seconds', '120', '--compare-backoff', '500,8000,5']),
    );
    expect(options.clients).to.equal(2000);
    expect(options.seed).to.equal(9);
    expect(options.spreadMs).to.equal(120_000);
    expect(compare).to.deep.equal({ baseMs: 500, maxMs: 8000, maxAttempts: 5 });
    for (const raw of ['1000,500,3', '1000,2000', '0,1000,3', '1000,2000,1.5', 'a,b,c', '1000,2000,101'])
      expect(() => parseBackoff(raw, 'backoff'), raw).to.throw(ArgsError, /--backoff takes baseMs,maxMs,attempts/);
  });

  it('every AWS figure has a source page, a read date, and a positive value', () => {
    for (const [name, f] of Object.entries(FIGURES)) {
      expect(f.source, name).to.match(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//);
      expect(f.read, name).to.equal('2026-11-29');
      expect(f.value, name).to.be.greaterThan(0);
    }
  });
});
