import type { SourceLocation } from '@o11y/core';
import type { LabelName, LabelVocabulary } from './labels.ts';
import { Matching } from './matchers.ts';

/** While an alert matching the source fires, alerts matching the target with the same `equal` labels are muted. */
export class InhibitRule<V extends LabelVocabulary> {
  readonly sourceMatching = new Matching<V>();
  readonly targetMatching = new Matching<V>();
  equalLabels: readonly string[] = [];

  constructor(
    readonly name: string,
    readonly source: SourceLocation,
  ) {}

  /** The alerts that inhibit. */
  whenFiring(configure: (matching: Matching<V>) => Matching<V>): this {
    configure(this.sourceMatching);
    return this;
  }

  /** The alerts that are muted. */
  mutes(configure: (matching: Matching<V>) => Matching<V>): this {
    configure(this.targetMatching);
    return this;
  }

  /** Labels that must have the same value on both alerts. */
  equal(...labels: LabelName<V>[]): this {
    this.equalLabels = labels;
    return this;
  }
}
