export * from '../grafana-simulator/index.ts';
export * from './cortex.ts';
