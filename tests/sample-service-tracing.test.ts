import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXEMPLAR_TRACE_ID_LABEL, type SampleService, startSampleService } from '@o11y/sample-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estate } from '../catalog/estate.ts';

/** The parts of an OTLP/JSON trace export this test reads. */
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{
      spans: Array<{
        traceId: string;
        name: string;
        kind: number;
        attributes: Array<{ key: string; value: { stringValue?: string } }>;
      }>;
    }>;
  }>;
}

/** An OTLP/HTTP endpoint that keeps what it is sent, standing where the Collector would. */
function startOtlpSink(): Promise<{ server: Server; url: string; exports: OtlpExport[] }> {
  const exports: OtlpExport[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports }),
    ),
  );
}

const SPAN_KIND_SERVER = 2;

describe('traces and exemplars', () => {
  let sink: Awaited<ReturnType<typeof startOtlpSink>>;
  let service: SampleService;

  beforeAll(async () => {
    sink = await startOtlpSink();
    service = await startSampleService({
      estate,
      traffic: false,
      otlpEndpoint: sink.url,
      traceSampleRatio: 1,
    });
  });

  afterAll(() => {
    sink?.server.close();
  });

  it("exports a server span per API request and keeps its trace id as the latency histogram's exemplar", async () => {
    const target = service.targets.find((t) => t.kind === 'prom-client')!;
    const response = await fetch(`http://${target.address}/api/${target.service}/1234`);
    await response.body?.cancel();

    const metrics = await fetch(`http://${target.address}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    const exemplars = (await metrics.text())
      .split('\n')
      .filter((line) => line.startsWith(`${estate.http['prom-client'].duration.name}_bucket{`))
      .flatMap((line) => /# \{(\w+)="(\w+)"\}/.exec(line)?.slice(1) ?? []);

    // Stopping exports the spans still batched.
    await service.stop();
    const [span, ...others] = sink.exports.flatMap((e) =>
      e.resourceSpans.flatMap((r) =>
        r.scopeSpans.flatMap((s) =>
          s.spans.map((span) => ({
            ...span,
            service: r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
          })),
        ),
      ),
    );
    expect(others).toEqual([]);
    expect(span).toMatchObject({
      name: `GET /api/${target.service}/:id`,
      kind: SPAN_KIND_SERVER,
      service: target.service,
    });
    expect(span!.attributes).toContainEqual({
      key: 'http.route',
      value: { stringValue: `/api/${target.service}/:id` },
    });
    expect(exemplars).toEqual([EXEMPLAR_TRACE_ID_LABEL, span!.traceId]);
  });
});
