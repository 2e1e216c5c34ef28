import { captureSource, type Diagnostic, O11yErrors, type SourceLocation } from '@o11y/core';

/**
 * Where a deployment dimension's label is put on the series. It decides who sees it: the labels of the
 * targets and of scrape relabelling (which a target's own exposition may lack: `o11y catalog check`
 * does not ask for them) are on every series the rules of the Prometheus that scrapes them read;
 * `external_labels` are added only when series leave that server (remote write, federation, alerts), so
 * its rules never see them while a central store (Cortex, Mimir, Thanos) and its dashboards do.
 */
export type DimensionSource = 'target' | 'relabel' | 'external_labels';

/** A deployment dimension as the organisation declares it. */
export interface DimensionSpec {
  /** The label that carries it; default: the dimension's name. */
  readonly label?: string;
  /** Its values, when the organisation knows them (environments); omitted for open lists (clusters). */
  readonly values?: readonly string[];
  readonly source: DimensionSource;
  /**
   * Off: nothing requires or filters by the label. The switch for a dimension a small organisation does
   * not have yet, like kubernetes-mixin's multi-cluster switch. Default: on.
   */
  readonly enabled?: boolean;
}

export interface Dimension {
  readonly name: string;
  readonly label: string;
  readonly values: readonly string[] | undefined;
  readonly source: DimensionSource;
}

/**
 * The deployment dimensions of an organisation (environment, cluster, region…), declared once: rules keep
 * them through every aggregation, SLOs are computed and alerted per value, dashboards filter by them,
 * lint reports the aggregations that drop them.
 */
export interface Dimensions {
  readonly source: SourceLocation;
  /** The enabled dimensions, in the order they were declared. */
  readonly enabled: readonly Dimension[];
  /** Labels every recording rule, alert and SLO keeps: those of enabled dimensions its Prometheus sees. */
  readonly ruleLabels: readonly string[];
  /** Labels every dashboard panel filters by: every enabled dimension (dashboards read the central store). */
  readonly dashboardLabels: readonly string[];
  /** An enabled dimension by name. */
  dimension(name: string): Dimension | undefined;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Declares the deployment dimensions; a bad declaration is an error at the calling line. */
export function defineDimensions(specs: Readonly<Record<string, DimensionSpec>>): Dimensions {
  const source = captureSource();
  const problems: Diagnostic[] = [];
  const fail = (message: string, hint: string) =>
    problems.push({ severity: 'error', id: 'catalog/dimension', message, source, hint });
  const all: Dimension[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const label = spec.label ?? name;
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      fail(
        `dimension ${name}: "${label}" is not a label name`,
        'use letters, digits and _, not starting with __',
      );
    }
    if (all.some((d) => d.label === label)) {
      fail(
        `dimension ${name}: label "${label}" already carries another dimension`,
        'give each dimension its own label',
      );
    }
    const values = spec.values;
    if (values && (values.length === 0 || new Set(values).size !== values.length || values.includes(''))) {
      fail(
        `dimension ${name}: values must be distinct and non-empty`,
        'list each value once, or omit values',
      );
    }
    if (spec.enabled !== false)
      all.push({ name, label, values: values && Object.freeze([...values]), source: spec.source });
  }
  if (problems.length > 0) throw new O11yErrors(problems);
  const enabled = Object.freeze(all);
  return {
    source,
    enabled,
    ruleLabels: Object.freeze(enabled.filter((d) => d.source !== 'external_labels').map((d) => d.label)),
    dashboardLabels: Object.freeze(enabled.map((d) => d.label)),
    dimension: (name) => enabled.find((d) => d.name === name),
  };
}
