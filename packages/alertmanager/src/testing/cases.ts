import { captureSource, DEFINITION, type Definition, type SourceLocation } from '@o11y/core';
import type { AlertmanagerConfig } from '../config.ts';
import type { AlertLabels, LabelVocabulary } from '../labels.ts';
import type { Receiver } from '../receivers.ts';

export const ALERTMANAGER_TESTS = 'alertmanager-tests';

/** The tests as written to `dist/alertmanager/tests.json`, which `runAlertmanagerTests` reads. */
export interface TestsFile {
  readonly routing: readonly RoutingCase[];
  readonly allowUnrouted: readonly AllowedUnrouted[];
  readonly inhibition: readonly InhibitionCase[];
}

export interface RoutingCase {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** In routing-tree order, as amtool prints them. */
  readonly receivers: readonly string[];
  readonly source: SourceLocation;
}

/** An alert that may reach only the default receiver, and why. */
export interface AllowedUnrouted {
  readonly alert: string;
  readonly reason: string;
  readonly source: SourceLocation;
}

export interface InhibitionCase {
  readonly name: string;
  /** The alert that fires first and may inhibit. */
  readonly firing: Readonly<Record<string, string>>;
  readonly target: Readonly<Record<string, string>>;
  readonly inhibited: boolean;
  readonly source: SourceLocation;
}

function definedLabels(labels: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

interface AlertPair<V extends LabelVocabulary> {
  readonly firing: AlertLabels<V>;
  readonly target: AlertLabels<V>;
}

/** Routing, coverage and inhibition tests for one config; export it from a module under `alertmanager/`. */
export class AlertmanagerTests<V extends LabelVocabulary> implements Definition {
  readonly [DEFINITION] = ALERTMANAGER_TESTS;
  readonly routing: RoutingCase[] = [];
  readonly allowUnrouted: AllowedUnrouted[] = [];
  readonly inhibition: InhibitionCase[] = [];

  constructor(
    readonly config: AlertmanagerConfig<V>,
    readonly source: SourceLocation,
  ) {}

  /** An alert with these labels notifies exactly these receivers, in routing-tree order. */
  routes(name: string, labels: AlertLabels<V>, receivers: readonly Receiver[]): this {
    this.routing.push({
      name,
      labels: definedLabels(labels),
      receivers: receivers.map((r) => r.name),
      source: captureSource(),
    });
    return this;
  }

  /** The coverage test accepts that this alert reaches only the default receiver. */
  allowDefaultRoute(alert: string, reason: string): this {
    this.allowUnrouted.push({ alert, reason, source: captureSource() });
    return this;
  }

  /** While `firing` fires, `target` is inhibited and notifies nobody. */
  inhibits(name: string, alerts: AlertPair<V>): this {
    return this.addInhibitionCase(name, alerts, true);
  }

  /** `target` is not inhibited by `firing` and notifies its receivers. */
  doesNotInhibit(name: string, alerts: AlertPair<V>): this {
    return this.addInhibitionCase(name, alerts, false);
  }

  private addInhibitionCase(name: string, alerts: AlertPair<V>, inhibited: boolean): this {
    this.inhibition.push({
      name,
      firing: definedLabels(alerts.firing),
      target: definedLabels(alerts.target),
      inhibited,
      source: captureSource(),
    });
    return this;
  }

  toJSON(): TestsFile {
    return { routing: this.routing, allowUnrouted: this.allowUnrouted, inhibition: this.inhibition };
  }
}

export function alertmanagerTests<V extends LabelVocabulary>(
  config: AlertmanagerConfig<V>,
): AlertmanagerTests<V> {
  return new AlertmanagerTests(config, captureSource());
}
