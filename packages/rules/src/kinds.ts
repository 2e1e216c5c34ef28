/** The definition kinds this package builds; `o11y build` hands them to this package's emitter. */
export const KIND = {
  group: 'prometheus/rule-group',
  slo: 'prometheus/slo',
  ruleTests: 'prometheus/rule-tests',
  config: 'prometheus/config',
  lokiGroup: 'loki/rule-group',
} as const;
