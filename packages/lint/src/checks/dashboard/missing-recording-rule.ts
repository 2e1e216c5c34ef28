import { ShapeResolver } from '../../analysis/shape.ts';
import { nodesOf } from '../../analysis/visit.ts';
import { defineCheck } from '../../check.ts';

export const missingRecordingRule = defineCheck({
  id: 'dashboard/missing-recording-rule',
  severity: 'error',
  doc: `A dashboard query that reads a recording rule's output (a \`level:metric:operation\` name, or a name the
catalogue declares as recorded) shows nothing unless a rule of the project records it: a renamed or removed
recording rule silently empties the panels built on it. When linting plain files, pass the rule files along with
the dashboards.`,
  *run({ project }) {
    const queries = project.queries.map((q) => q.expression);
    for (const { expression, node } of nodesOf(project, 'VectorSelector', queries)) {
      const name = ShapeResolver.metricName(node);
      if (name === undefined || !project.looksRecorded(name) || project.recordersOf(name).length > 0)
        continue;
      yield {
        target: expression.target,
        message: `no recording rule records ${name}`,
        span: node,
        hint: 'add the recording rule, or fix the name',
      };
    }
  },
});
