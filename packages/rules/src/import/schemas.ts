import type { JSONSchemaType } from 'ajv';

const stringMap = { type: 'object', additionalProperties: { type: 'string' }, required: [] } as const;

/** Sloth's `prometheus/v1` spec (slok/sloth pkg/prometheus/api/v1), as far as we import it. */
export interface SlothSpec {
  version: 'prometheus/v1';
  service: string;
  labels?: Record<string, string>;
  slos: Array<{
    name: string;
    objective: number;
    description?: string;
    labels?: Record<string, string>;
    sli: {
      events?: { error_query: string; total_query: string };
      raw?: { error_ratio_query: string };
      plugin?: { id: string; options?: Record<string, string> };
    };
    alerting?: {
      name?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      page_alert?: {
        disable?: boolean;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      ticket_alert?: {
        disable?: boolean;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
    };
  }>;
}

const slothAlert = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    disable: { type: 'boolean', nullable: true },
    labels: { ...stringMap, nullable: true },
    annotations: { ...stringMap, nullable: true },
  },
  nullable: true,
} as const;

export const slothSchema: JSONSchemaType<SlothSpec> = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'service', 'slos'],
  properties: {
    version: { type: 'string', const: 'prometheus/v1' },
    service: { type: 'string', minLength: 1 },
    labels: { ...stringMap, nullable: true },
    slos: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'objective', 'sli'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
          objective: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
          description: { type: 'string', nullable: true },
          labels: { ...stringMap, nullable: true },
          sli: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
            required: [],
            properties: {
              events: {
                type: 'object',
                additionalProperties: false,
                required: ['error_query', 'total_query'],
                properties: {
                  error_query: { type: 'string', minLength: 1 },
                  total_query: { type: 'string', minLength: 1 },
                },
                nullable: true,
              },
              raw: {
                type: 'object',
                additionalProperties: false,
                required: ['error_ratio_query'],
                properties: { error_ratio_query: { type: 'string', minLength: 1 } },
                nullable: true,
              },
              plugin: {
                type: 'object',
                additionalProperties: false,
                required: ['id'],
                properties: { id: { type: 'string' }, options: { ...stringMap, nullable: true } },
                nullable: true,
              },
            },
          },
          alerting: {
            type: 'object',
            additionalProperties: false,
            required: [],
            nullable: true,
            properties: {
              name: { type: 'string', nullable: true },
              labels: { ...stringMap, nullable: true },
              annotations: { ...stringMap, nullable: true },
              page_alert: slothAlert,
              ticket_alert: slothAlert,
            },
          },
        },
      },
    },
  },
};

/** A metric source of an OpenSLO v1 SLI; only Prometheus queries are imported. */
export interface OpenSloMetricSource {
  metricSource: { type: string; metricSourceRef?: string; spec: { query?: string } };
}

export interface OpenSloSliSpec {
  description?: string;
  ratioMetric?: {
    counter: boolean;
    good?: OpenSloMetricSource;
    bad?: OpenSloMetricSource;
    total: OpenSloMetricSource;
    rawType?: string;
  };
  thresholdMetric?: OpenSloMetricSource;
}

/** An OpenSLO v1 document (openslo/openslo spec v1): the SLO and SLI kinds we import, others skipped. */
export interface OpenSloDocument {
  apiVersion: 'openslo/v1';
  kind: string;
  metadata: {
    name: string;
    displayName?: string;
    labels?: Record<string, unknown>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export interface OpenSloSlo {
  description?: string;
  service: string;
  indicator?: { metadata: { name: string }; spec: OpenSloSliSpec };
  indicatorRef?: string;
  timeWindow: Array<{ duration: string; isRolling?: boolean; calendar?: Record<string, unknown> }>;
  budgetingMethod: 'Occurrences' | 'Timeslices' | 'RatioTimeslices';
  objectives: Array<{
    displayName?: string;
    target?: number;
    targetPercent?: number;
    op?: string;
    value?: number;
  }>;
  /** Accepted and replaced by the multi-window burn-rate alerts (see README). */
  alertPolicies?: Array<{ kind?: string }>;
}

const metricSource = {
  type: 'object',
  additionalProperties: false,
  required: ['metricSource'],
  properties: {
    metricSource: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'spec'],
      properties: {
        type: { type: 'string' },
        metricSourceRef: { type: 'string', nullable: true },
        spec: {
          type: 'object',
          additionalProperties: true,
          required: [],
          properties: { query: { type: 'string', nullable: true } },
        },
      },
    },
  },
} as const;

export const openSloDocumentSchema: JSONSchemaType<OpenSloDocument> = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', const: 'openslo/v1' },
    kind: { type: 'string' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        displayName: { type: 'string', nullable: true },
        labels: { type: 'object', required: [], nullable: true },
        annotations: { ...stringMap, nullable: true },
      },
    },
    spec: { type: 'object', required: [] },
  },
};

export const openSloSliSpecSchema: JSONSchemaType<OpenSloSliSpec> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    description: { type: 'string', nullable: true },
    ratioMetric: {
      type: 'object',
      additionalProperties: false,
      required: ['counter', 'total'],
      nullable: true,
      properties: {
        counter: { type: 'boolean' },
        good: { ...metricSource, nullable: true },
        bad: { ...metricSource, nullable: true },
        total: metricSource,
        rawType: { type: 'string', nullable: true },
      },
    },
    thresholdMetric: { ...metricSource, nullable: true },
  },
};

export const openSloSloSchema: JSONSchemaType<OpenSloSlo> = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'timeWindow', 'budgetingMethod', 'objectives'],
  properties: {
    description: { type: 'string', nullable: true },
    service: { type: 'string', minLength: 1 },
    indicator: {
      type: 'object',
      additionalProperties: false,
      required: ['metadata', 'spec'],
      nullable: true,
      properties: {
        metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        spec: openSloSliSpecSchema,
      },
    },
    indicatorRef: { type: 'string', nullable: true },
    timeWindow: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['duration'],
        properties: {
          duration: { type: 'string', pattern: '^[0-9]+[mhdwMQy]$' },
          isRolling: { type: 'boolean', nullable: true },
          calendar: { type: 'object', required: [], nullable: true },
        },
      },
    },
    budgetingMethod: { type: 'string', enum: ['Occurrences', 'Timeslices', 'RatioTimeslices'] },
    objectives: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: [],
        properties: {
          displayName: { type: 'string', nullable: true },
          target: { type: 'number', nullable: true },
          targetPercent: { type: 'number', nullable: true },
          op: { type: 'string', nullable: true },
          value: { type: 'number', nullable: true },
        },
      },
    },
    alertPolicies: {
      type: 'array',
      nullable: true,
      items: { type: 'object', required: [], properties: { kind: { type: 'string', nullable: true } } },
    },
  },
};
