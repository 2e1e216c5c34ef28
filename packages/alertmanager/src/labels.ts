/**
 * The alert label vocabulary: label name → the values alerting rules give it. The rules package
 * derives it from what the rules actually set; routes, inhibit rules and test cases are typed by it,
 * so a matcher on a label no rule sets, or on a value no rule uses, does not compile.
 *
 * An interface or object type whose keys are label names and whose values are string unions.
 * Optional keys are labels only some alerts carry (`slo_severity?: 'page' | 'ticket'`); a `string`
 * value type means a free-form label.
 */
export type LabelVocabulary = object;

/** Every label name a matcher may use: the vocabulary's plus `alertname`, which Prometheus always sets. */
export type LabelName<V extends LabelVocabulary> = (keyof V & string) | 'alertname';

/** The values a label may take; `alertname` is free-form. */
export type LabelValue<V extends LabelVocabulary, K extends LabelName<V>> = K extends keyof V
  ? Extract<V[K], string>
  : string;

/** The labels of one concrete alert: its name and any vocabulary labels it carries. */
export type AlertLabels<V extends LabelVocabulary> = { readonly alertname: string } & {
  readonly [K in keyof V & string]?: Extract<V[K], string>;
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus's classic label name syntax, which both Alertmanager matcher parsers accept unquoted. */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}
