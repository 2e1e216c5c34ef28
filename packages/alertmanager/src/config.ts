import { captureSource, DEFINITION, type Definition, type Duration, type SourceLocation } from '@o11y/core';
import { InhibitRule } from './inhibit.ts';
import type { LabelName, LabelVocabulary } from './labels.ts';
import type { Receiver, SmtpSettings, Verbatim } from './receivers.ts';
import { Route } from './route.ts';
import type { Secret } from './secrets.ts';
import type { TimeInterval } from './time-intervals.ts';

export const ALERTMANAGER_CONFIG = 'alertmanager-config';

export interface SmtpOptions extends SmtpSettings {
  readonly from: string;
  readonly smarthost: string;
}

export interface GlobalOptions {
  readonly resolveTimeout?: Duration;
  readonly smtp?: SmtpOptions;
  readonly slackApiUrl?: Secret;
  readonly pagerdutyUrl?: string;
  readonly opsgenieApiUrl?: string;
  readonly opsgenieApiKey?: Secret;
  /** Global fields the options do not model, in alertmanager.yml's spelling. */
  readonly verbatim?: Verbatim;
}

export interface Template {
  readonly fileName: string;
  readonly text: string;
  readonly source: SourceLocation;
}

/** Where `secret.env` references point in the default build: one file per variable, named after it. */
export const DEFAULT_SECRETS_DIRECTORY = '/etc/alertmanager/secrets';

/**
 * An Alertmanager configuration, typed by the organisation's alert label vocabulary `V`. It is the
 * definition `o11y build` collects: export it from a module under `alertmanager/`.
 */
export class AlertmanagerConfig<V extends LabelVocabulary> implements Definition {
  readonly [DEFINITION] = ALERTMANAGER_CONFIG;
  readonly root: Route<V>;
  globals: GlobalOptions = {};
  readonly inhibitRules: InhibitRule<V>[] = [];
  readonly timeIntervals: TimeInterval[] = [];
  readonly receivers: Receiver[] = [];
  readonly templates: Template[] = [];
  verbatimFields: Verbatim = {};
  secretsDir = DEFAULT_SECRETS_DIRECTORY;

  constructor(readonly source: SourceLocation) {
    this.root = new Route<V>(source);
  }

  global(options: GlobalOptions): this {
    this.globals = options;
    return this;
  }

  /** Where alerts that no route matches go: the root route's receiver. */
  defaultReceiver(receiver: Receiver): this {
    this.root.to(receiver);
    return this;
  }

  groupBy(...labels: LabelName<V>[] | ['...']): this {
    this.root.groupBy(...labels);
    return this;
  }

  groupWait(duration: Duration): this {
    this.root.groupWait(duration);
    return this;
  }

  groupInterval(duration: Duration): this {
    this.root.groupInterval(duration);
    return this;
  }

  repeatInterval(duration: Duration): this {
    this.root.repeatInterval(duration);
    return this;
  }

  /** A top-level route, tried in declaration order. */
  route(configure: (route: Route<V>) => Route<V>): this {
    this.root.route(configure);
    return this;
  }

  inhibit(name: string, configure: (rule: InhibitRule<V>) => InhibitRule<V>): this {
    this.inhibitRules.push(configure(new InhibitRule<V>(name, captureSource())));
    return this;
  }

  /** Declares an interval no route uses yet; intervals routes use are included without this. */
  timeInterval(interval: TimeInterval): this {
    this.timeIntervals.push(interval);
    return this;
  }

  /** Declares a receiver no route uses (yet); receivers routes use are included without this. */
  receiver(receiver: Receiver): this {
    this.receivers.push(receiver);
    return this;
  }

  /** Top-level fields the builder does not model, in alertmanager.yml's spelling. */
  verbatim(fields: Verbatim): this {
    this.verbatimFields = fields;
    return this;
  }

  /** A notification template file, written to `templates/<fileName>` beside alertmanager.yml. */
  template(fileName: string, text: string): this {
    this.templates.push({ fileName, text, source: captureSource() });
    return this;
  }

  /** Where the default build points `secret.env` references: `<dir>/<VARIABLE>`. */
  secretsDirectory(dir: string): this {
    this.secretsDir = dir;
    return this;
  }
}

/** Starts an Alertmanager config typed by the alert label vocabulary `V`. */
export function alertmanager<V extends LabelVocabulary>(): AlertmanagerConfig<V> {
  return new AlertmanagerConfig<V>(captureSource());
}
