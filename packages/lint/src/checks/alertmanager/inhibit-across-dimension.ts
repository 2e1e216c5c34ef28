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
reach Alertmanager with them. Add the label to \`equal\`; an inhibition meant to cross a dimension (a
cluster-wide outage muting everything in the cluster) says why in a suppression.`,
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
        for (const label of labels.filter((l) => !rule.equal.includes(l))) {
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
