import { defineCheck } from '../../check.ts';
import { allRoutes, receiversOf, routeTree } from '../../load/alertmanager-file.ts';

export const undefinedReceiver = defineCheck({
  id: 'alertmanager/undefined-receiver',
  severity: 'error',
  doc: `Every \`receiver\` a route names must be one of the configuration's \`receivers\`; Alertmanager refuses to
start otherwise (\`amtool check-config\`: "undefined receiver"), and only says which name, not where. The finding is
at the route, with the names that are defined. The top-level route must name a receiver too.`,
  *run({ project }) {
    for (const source of project.sources.alertmanagers) {
      const defined = receiversOf(source);
      const tree = routeTree(source);
      const file = source.document.file;
      if (!tree.receiver)
        yield {
          target: { kind: 'file', file, source: tree.source, subject: 'route' },
          message: 'the top-level route names no receiver',
          hint: 'every alert that no child route takes goes to the top-level receiver: name one',
        };
      for (const route of allRoutes(tree)) {
        if (!route.receiver || defined.has(route.receiver.name)) continue;
        yield {
          target: { kind: 'file', file, source: route.receiver.source, subject: route.path },
          message: `${route.path} sends to receiver "${route.receiver.name}", which is not defined`,
          hint: `define it under receivers, or use one of: ${[...defined.keys()].join(', ') || '(none defined)'}`,
        };
      }
    }
  },
});
