import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, defineProject, O11yErrors } from '../src/index.ts';

describe('project layout', () => {
  it('declares tests folders, none by default, and refuses a definitions folder or a path outside the project', () => {
    expect(DEFAULT_LAYOUT.tests).toEqual([]);
    expect(defineProject({ tests: ['rules/tests'] }).tests).toEqual(['rules/tests']);
    const error = (() => {
      try {
        defineProject({ definitions: ['rules'], tests: ['rules', '../tests'] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(O11yErrors);
    expect((error as O11yErrors).diagnostics.map((d) => d.message)).toEqual([
      'defineProject: tests[0] "rules" is a definitions folder: name a folder of tests only',
      'defineProject: tests[1] must stay inside the project',
    ]);
  });
});
