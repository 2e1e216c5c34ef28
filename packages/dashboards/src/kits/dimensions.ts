import {
  type Dimension,
  filterSelectors,
  type InstantVector,
  type LabelMap,
  type Match,
  re,
  type Selector,
} from '@o11y/catalog';
import { labelValues, ref, type Variable } from '../builder/variables.ts';

/**
 * The organisation's deployment dimensions the dashboard kits filter by: what `defineDimensions()` of
 * @o11y/catalog returns (only its enabled dimensions are read). Given to every kit, like
 * kubernetes-mixin's `_config`: with the cluster dimension off, no dashboard asks for a cluster.
 */
export interface DashboardDimensions {
  readonly enabled: readonly Pick<Dimension, 'name' | 'label' | 'source'>[];
}

/** No deployment dimension: dashboards with no `$environment` or `$cluster`. */
export const NO_DIMENSIONS: DashboardDimensions = { enabled: [] };

/** The variables of a dashboard's dimensions and the filter that applies them to every query. */
export interface DimensionScope {
  /** One multi-value variable (with All) per dimension that applies, in the order they were declared. */
  readonly variables: readonly Variable[];
  /** The labels of those dimensions. */
  readonly labels: readonly string[];
  /** The labels among them the catalogue's series carry (not `external_labels`): those one may group by. */
  readonly carried: readonly string[];
  /** The variable of each label. */
  readonly variableOf: Readonly<Record<string, Variable>>;
  /** Adds `label=~"$variable"` of every dimension to every selector of `expr` whose series carry it. */
  filter<E extends InstantVector>(expr: E): E;
  /** `filter` of a selector, still a selector. */
  select<S extends Selector<LabelMap>>(selector: S): S;
}

/**
 * The dimensions a dashboard filters by, their variables listing the values of `listed` (each narrowed by
 * the variables before it). A dimension applies when `listed` carries its label, or always when the label
 * comes from `external_labels`: the central store puts it on every series, the catalogue never lists it.
 */
export function dimensionScope(dimensions: DashboardDimensions, listed: Selector<LabelMap>): DimensionScope {
  const external = dimensions.enabled.filter((d) => d.source === 'external_labels').map((d) => d.label);
  const variables: Variable[] = [];
  const matchers: Record<string, Match> = {};
  const variableOf: Record<string, Variable> = {};
  const filter = <E extends InstantVector>(expr: E): E => filterSelectors(expr, matchers, { external }) as E;
  for (const dimension of dimensions.enabled) {
    if (!external.includes(dimension.label) && !listed.labels.includes(dimension.label)) continue;
    const variable = labelValues(dimension.name, filter(listed), { label: dimension.label });
    variables.push(variable);
    matchers[dimension.label] = re(ref(variable));
    variableOf[dimension.label] = variable;
  }
  const labels = Object.keys(matchers);
  return {
    variables,
    labels,
    carried: labels.filter((label) => !external.includes(label)),
    variableOf,
    filter,
    select: (selector) => filter(selector),
  };
}
