import type { Node } from '@o11y/promql';

export type { Node } from '@o11y/promql';

/** The node of one kind, e.g. `NodeOf<'VectorSelector'>`. */
export type NodeOf<K extends Node['type']> = Extract<Node, { type: K }>;
