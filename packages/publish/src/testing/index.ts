export * from '../grafana-simulator/index.ts';
export * from '../ruler-simulator/index.ts';
