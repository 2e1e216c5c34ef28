import { type Folder, folder } from '@o11y/dashboards';
import type { Team } from '../catalog/index.ts';

/** One Grafana folder per team; a team's folder holds the dashboards of the services it owns. */
export function teamFolder(team: Team): Folder {
  return folder(team);
}

/** Overviews across services (golden signals, SLOs, business, executive). */
export const overviewFolder = folder('overview', 'Overview');
