import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { O11yErrors } from '@o11y/core';
import { describe, expect, it } from 'vitest';
import { alertmanager, alertmanagerTests, emitter, receiver, timeInterval } from '../src/index.ts';
import { alerts, config, routingTests } from './fixture.ts';
import { alertEntry, buildContext, buildDist } from './helpers.ts';

describe('emitter', () => {
  it('writes alertmanager.yml, its templates and tests.json, which amtool check-config accepts', async () => {
    const templated = config.template(
      'notifications.tmpl',
      '{{ define "title" }}{{ .CommonLabels.alertname }}{{ end }}',
    );
    const build = buildContext();
    const artifacts = await emitter.emit([templated, routingTests], build);
    expect(artifacts.map((a) => [a.path, a.kind])).toEqual([
      ['alertmanager/alertmanager.yml', 'alertmanager-config'],
      ['alertmanager/templates/notifications.tmpl', 'alertmanager-config'],
      ['alertmanager/tests.json', 'alertmanager-tests'],
    ]);
    const dist = await buildDist([templated, routingTests], alerts);
    expect(await emitter.verify!(artifacts, dist, build)).toEqual([]);
    const yaml = await readFile(path.join(dist, 'alertmanager', 'alertmanager.yml'), 'utf8');
    expect(yaml).toContain('templates:\n  - templates/notifications.tmpl\n');
  });

  it('reports what amtool check-config rejects at the config’s TypeScript line', async () => {
    const broken = alertmanager<{ team: 'a' }>()
      .defaultReceiver(receiver('nobody'))
      .route((r) =>
        r.where('team', 'a').muteDuring(timeInterval('mars', [{ location: 'Mars/Olympus_Mons' }])),
      );
    const build = buildContext();
    const artifacts = await emitter.emit([broken], build);
    const dist = await buildDist([broken], [alertEntry('A', { team: 'a' })]);
    const [diagnostic, ...rest] = await emitter.verify!(artifacts, dist, build);
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({
      id: 'alertmanager/check-config',
      source: { file: 'packages/alertmanager/test/emitter.test.ts' },
    });
    expect(diagnostic!.message).toContain('Mars/Olympus_Mons');
  });

  it('refuses a second config and tests written for another config', async () => {
    const other = alertmanager<{ team: 'a' }>().defaultReceiver(receiver('x'));
    const strayTests = alertmanagerTests(other);
    await expect(async () => emitter.emit([config, other, strayTests], buildContext())).rejects.toThrow(
      O11yErrors,
    );
    try {
      await emitter.emit([config, other, strayTests], buildContext());
    } catch (error) {
      expect((error as O11yErrors).diagnostics.map((d) => d.id)).toEqual([
        'alertmanager/one-config',
        'alertmanager/tests-config',
      ]);
    }
  });

  it('emits nothing when the project has no Alertmanager config', async () => {
    expect(await emitter.emit([], buildContext())).toEqual([]);
  });
});
