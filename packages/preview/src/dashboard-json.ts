/** The parts of Grafana's classic dashboard JSON the preview reads. Everything else is passed through. */

export interface GridPosJson {
  x?: number;
  y?: number;
  w?: number;
  h?: number;
}

export interface LinkJson {
  title?: string;
  url?: string;
}

export interface TargetJson {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: string;
  interval?: string;
  hide?: boolean;
}

export interface PanelJson {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  gridPos?: GridPosJson;
  links?: LinkJson[];
  targets?: TargetJson[];
  /** Row panels: whether Grafana shows them collapsed, and then the panels they hold. */
  collapsed?: boolean;
  panels?: PanelJson[];
  repeat?: string;
  repeatDirection?: 'h' | 'v';
  maxPerRow?: number;
  maxDataPoints?: number;
  interval?: string;
  [key: string]: unknown;
}

export interface VariableJson {
  name: string;
  label?: string;
  type: string;
  query?: string | { query?: string };
  definition?: string;
  regex?: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  current?: { value?: string | string[]; text?: string | string[] };
  options?: Array<{ value: string; text?: string; selected?: boolean }>;
}

export interface DashboardJson {
  uid?: string;
  title?: string;
  tags?: string[];
  links?: LinkJson[];
  time?: { from?: string; to?: string };
  templating?: { list?: VariableJson[] };
  panels?: PanelJson[];
}
