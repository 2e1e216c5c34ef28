import { captureSource, type Duration, O11yError, type SourceLocation } from '@o11y/core';
import type { LabelName, LabelVocabulary } from './labels.ts';
import { Matching } from './matchers.ts';
import { Receiver } from './receivers.ts';
import type { TimeInterval } from './time-intervals.ts';

/** How notifications are grouped and paced; a route inherits what it does not set from its parent. */
export interface RouteTiming {
  groupWait?: Duration;
  groupInterval?: Duration;
  repeatInterval?: Duration;
}

/** One node of the routing tree: matchers, where matching alerts go, how they are grouped, child routes. */
export class Route<V extends LabelVocabulary> extends Matching<V> {
  receiver: Receiver | undefined;
  grouping: readonly string[] | undefined;
  readonly timing: RouteTiming = {};
  continues = false;
  readonly muteIntervals: TimeInterval[] = [];
  readonly activeIntervals: TimeInterval[] = [];
  readonly children: Route<V>[] = [];

  constructor(readonly source: SourceLocation) {
    super();
  }

  /** The receiver notified for alerts this route (and no child route) matches. */
  to(receiver: Receiver): this {
    if (!(receiver instanceof Receiver)) {
      throw new O11yError(`.to() needs a receiver, not ${JSON.stringify(receiver) ?? String(receiver)}`, {
        source: captureSource(),
        id: 'alertmanager/route-receiver',
        hint: "define it with receiver('name').slack(…) (or another integration) and pass that object to .to()",
      });
    }
    this.receiver = receiver;
    return this;
  }

  /** Labels that split alerts into notification groups; `'...'` groups by every label. */
  groupBy(...labels: LabelName<V>[] | ['...']): this {
    this.grouping = labels;
    return this;
  }

  groupWait(duration: Duration): this {
    this.timing.groupWait = duration;
    return this;
  }

  groupInterval(duration: Duration): this {
    this.timing.groupInterval = duration;
    return this;
  }

  repeatInterval(duration: Duration): this {
    this.timing.repeatInterval = duration;
    return this;
  }

  /** Keep evaluating the following sibling routes after this one matched. */
  continue(): this {
    this.continues = true;
    return this;
  }

  /** Send nothing from this route while any of the intervals is in effect. */
  muteDuring(...intervals: TimeInterval[]): this {
    this.muteIntervals.push(...intervals);
    return this;
  }

  /** Send only while one of the intervals is in effect. */
  activeDuring(...intervals: TimeInterval[]): this {
    this.activeIntervals.push(...intervals);
    return this;
  }

  /** A child route, tried in declaration order among its siblings. */
  route(configure: (route: Route<V>) => Route<V>): this {
    this.children.push(configure(new Route<V>(captureSource())));
    return this;
  }
}
