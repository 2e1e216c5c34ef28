import { defineCheck } from '../../check.ts';
import { inhibitRules } from '../../load/alertmanager-file.ts';

export const inhibitAcrossDimension = defineCheck({
  id: 'alertmanager/inhibit-across-dimension',
  severity: 'warning',
  doc: `An inhibition rule mutes the alerts its \`target_matchers\` select while an alert of its \`source_matchers\`
fires, for every pair that agrees on the labels of \`equal\`. Without the organisation's deployment dimensions
(\`environment\`, \`cluster\`… declared once with \`defineDimensions\` and given to \`defineCatalog\`, or listed in the
option \`labels\` for plain files) in \`equal\`, an alert of one environment mutes the alerts of every other:
production's SLO page silences staging's ticket of the same SLO, and a critical alert in staging mutes
production's warnings of the same name. Every dimension counts here, those of \`external_labels\` too: alerts
reach Alertmanager with them. An inhibition whose source and target both match the label to one same value
(\`environment="production"\` on each side) stays within it and is not reported. Add the label to \`equal\`.
Findings are about an Alertmanager file (\`o11y lint dist\`), which suppressions do not name: an organisation
that means to cross a dimension sets this check's severity or turns it off in \`o11y.config.ts\`.`,
  options: {
    labels: {
      default: [] as string[],
      doc: "dimension labels besides the catalogue's (for plain files)",
    },
  },
  *run({ project, options }) {
    const dimensions = (project.catalog?.dimensions?.enabled ?? []).map((d) => d.label);
    const labels = [...new Set([...dimensions, ...options.labels])];
    if (labels.length === 0) return;
    for (const source of project.sources.alertmanagers) {
      for (const rule of inhibitRules(source)) {
        // Both sides pinned to the same value: source and target alerts share it already.
        const pinned = (matchers: typeof rule.source, label: string) =>
          matchers.find((m) => m.name === label && m.op === '=')?.value;
        const within = (label: string) =>
          pinned(rule.source, label) !== undefined &&
          pinned(rule.source, label) === pinned(rule.target, label);
        for (const label of labels.filter((l) => !rule.equal.includes(l) && !within(l))) {
          yield {
            target: {
              kind: 'file',
              file: source.document.file,
              source: rule.equalSource,
              subject: rule.path,
            },
            message: `${rule.path} does not require an equal "${label}": a firing alert of one ${label} mutes the matching alerts of every other`,
            hint: `add ${label} to equal`,
          };
        }
      }
    }
  },
});
