import { describe, expect, it } from 'vitest';
import { loadCommands } from '../src/main.ts';
import { o11y } from './helpers.ts';

const verbs = [...(await loadCommands()).keys()];

describe('every verb', () => {
  it('is listed by o11y --help', () => {
    const help = o11y(['--help']);
    expect(help.status).toBe(0);
    for (const verb of verbs) expect(help.stdout).toContain(`  ${verb} `);
  });

  it.each(verbs)(
    '%s: --help prints its usage with exit 0; an unknown option is a usage error (exit 2)',
    (verb) => {
      const help = o11y([verb, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`o11y ${verb}`);
      const bad = o11y([verb, '--no-such-option']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(`o11y ${verb}`);
      expect(bad.stderr).not.toContain('internal error:');
    },
    30_000,
  );

  it('an unknown verb is a usage error', () => {
    const result = o11y(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
