/** The @grafana/data helpers the preview's Node side uses to time queries as Grafana does. */
export { dateMath, dateTime, rangeUtil } from '@grafana/data';
