import { type CatalogueEntry, defineCatalog } from '@o11y/catalog';
import * as app from './app.ts';
import * as business from './business.ts';
import { dimensions } from './dimensions.ts';
import * as blackbox from './exporters/blackbox.ts';
import * as node from './exporters/node.ts';
import * as postgres from './exporters/postgres.ts';
import * as redis from './exporters/redis.ts';
import * as http from './http.ts';
import { logStreams } from './log-streams.ts';
import * as runtime from './runtime.ts';
import * as targets from './targets.ts';

export * from './app.ts';
export * from './business.ts';
export * from './dimensions.ts';
export * from './exporters/blackbox.ts';
export * from './exporters/node.ts';
export * from './exporters/postgres.ts';
export * from './exporters/redis.ts';
export * from './exposure.ts';
export * from './http.ts';
export * from './jobs.ts';
export * from './log-streams.ts';
export * from './runtime.ts';
export * from './services.ts';
export * from './targets.ts';
export * from './units.ts';

function entriesOf(module: Record<string, unknown>): CatalogueEntry[] {
  return Object.values(module).filter(
    (value): value is CatalogueEntry => typeof value === 'object' && value !== null && 'declaration' in value,
  );
}

/** The organisation's metric catalogue: every metric dashboards, rules and lint may query, our dimensions and log streams. */
export const catalog = defineCatalog(
  [targets, http, runtime, app, business, node, blackbox, postgres, redis].flatMap(entriesOf),
  { dimensions, logStreams },
);
