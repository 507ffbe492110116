import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { DESTROY_GAPS, EMULATOR_GAPS } from '../../../scripts/rehearse/gaps.ts';

describe('rehearsal emulator gaps', () => {
  const doc = readFileSync(new URL('../../../docs/emulator-gaps.md', import.meta.url), 'utf8');

  it('documents every gap the rehearsal accepts, under its id, with its resource type and attribute', () => {
    for (const gap of [...EMULATOR_GAPS, ...DESTROY_GAPS]) {
      const section = doc.split(/^## /m).find((s) => s.startsWith(`${gap.id}\n`));
      expect(section, `docs/emulator-gaps.md has no section "## ${gap.id}"`).to.be.a('string');
      expect(section).to.include(`\`${gap.resourceType}\``);
      if ('attribute' in gap) expect(section).to.include(`\`${String(gap.attribute)}\``);
    }
  });

  it('accepts nothing the documentation does not list', () => {
    const documented = [...doc.matchAll(/^## ([a-z0-9-]+)$/gm)].map((m) => m[1]);
    expect(documented.sort()).to.deep.equal([...EMULATOR_GAPS, ...DESTROY_GAPS].map((g) => g.id).sort());
  });
});
