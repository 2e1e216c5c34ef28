import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.ts';
import { callShim, optionFlags } from '../src/wasm.ts';
import {
  nativeOracle,
  prometheusModuleDir,
  sameAsNative,
  upstreamEvalExpressions,
  upstreamParserInputs,
} from './support.ts';

// Read at test time from the Go module cache of the pinned Prometheus; never copied into the repo.
const moduleDir = prometheusModuleDir();
const corpora = {
  'promql/parser/parse_test.go inputs': upstreamParserInputs(moduleDir),
  'promql/promqltest/testdata/*.test eval expressions': upstreamEvalExpressions(moduleDir),
};
const OPTION_SETS = {
  'Prometheus defaults': optionFlags(),
  'every feature flag': optionFlags({
    experimentalFunctions: true,
    extendedRangeSelectors: true,
    binopFillModifiers: true,
  }),
  'duration expressions off': optionFlags({ durationExpressions: false }),
};

describe('fidelity with the upstream parser', () => {
  beforeAll(() => init());

  it('found the upstream corpora', () => {
    expect(corpora['promql/parser/parse_test.go inputs'].length).toBeGreaterThan(350);
    expect(corpora['promql/promqltest/testdata/*.test eval expressions'].length).toBeGreaterThan(2000);
  });

  for (const [corpusName, inputs] of Object.entries(corpora)) {
    for (const [optionsName, flags] of Object.entries(OPTION_SETS)) {
      it(`${corpusName} with ${optionsName}: same acceptance, tree and errors as native Go`, () => {
        const requests = inputs.flatMap((expr) => [
          { expr, flags },
          { expr, flags, prettify: true },
        ]);
        const expected = nativeOracle(requests);
        const actual = requests.map((request) =>
          callShim(request.prettify ? 'prettify' : 'parse', request.expr, flags),
        );
        const accepted = actual.filter((raw) => raw.startsWith('{"ok":true')).length;
        const mismatches = requests
          .filter((_, index) => !sameAsNative(actual[index]!, expected[index]))
          .map((request) => request.expr);
        expect(mismatches).toEqual([]);
        // Both sides are exercised: the corpora hold valid queries and deliberate errors.
        expect(accepted).toBeGreaterThan(0);
        if (corpusName.startsWith('promql/parser')) expect(accepted).toBeLessThan(requests.length);
        // promqltest runs its scripts with every feature on; nearly all of them are valid PromQL.
        if (corpusName.includes('promqltest') && optionsName === 'every feature flag') {
          expect(accepted).toBeGreaterThan(requests.length * 0.95);
        }
      });
    }
  }
});
